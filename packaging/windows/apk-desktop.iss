; Per-user installer of APK Desktop (Inno Setup 6): no administrator rights needed.
; packaging/windows/build.ps1 builds the app with PyInstaller, then runs
;   iscc /DAppVersion=<version from pyproject.toml> packaging\windows\apk-desktop.iss
; The app goes to %LOCALAPPDATA%\Programs\APK Desktop ({userpf}). Its data folder,
; %LOCALAPPDATA%\APK Desktop, belongs to the app, not to the installer: the uninstaller
; removes only the files it installed and leaves the data folder as it is.
; The file is UTF-8 with a byte order mark, so Inno Setup reads its Czech text right.

#define AppName "APK Desktop"
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build.ps1 reads it from pyproject.toml)
#endif
#define BundleDir "..\..\dist\apk-desktop"

[Setup]
AppId={{A21F5184-4BCA-41A2-A9FE-561F6E5294AE}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=APK Desktop
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=apk-desktop-{#AppVersion}-instalace
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppName}.exe
; A running app is asked to close before its files are replaced.
CloseApplications=yes

[Languages]
Name: "czech"; MessagesFile: "compiler:Languages\Czech.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An update replaces the whole bundle: no library of the previous version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppName}.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppName}.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppName}.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(ExpandConstant('Aplikace {#AppName} byla odinstalována. Vaše data (databáze, skeny, ' +
      'logo a nastavení záloh) zůstala ve složce {localappdata}\{#AppName}; zálohy ve sdílené ' +
      'složce se nezměnily. Po nové instalaci aplikace data opět najde.'), mbInformation, MB_OK);
end;
