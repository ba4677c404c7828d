<#
.SYNOPSIS
  Builds APK Desktop for Windows: the one-folder app (PyInstaller, packaging/apk-desktop.spec)
  and its per-user installer (Inno Setup 6, packaging/windows/apk-desktop.iss).

.DESCRIPTION
  Run from any folder on a Windows PC with uv and Inno Setup 6 (no administrator rights needed):
    powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
  Produces dist\apk-desktop\ ("APK Desktop.exe" for the window, apk-desktop.exe for the command
  line) and dist\apk-desktop-<version>-instalace.exe. Before the installer is made, the frozen
  command line is tried on a throw-away data folder: init --demo, print, backup, verify.
  Not run by this project's CI (Linux); .github/workflows/windows.yml runs it on a Windows runner.

.PARAMETER NoInstaller
  Build and try the app only, without Inno Setup.
#>
[CmdletBinding()]
param([switch]$NoInstaller)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $root

function Invoke-Step([string]$Name, [scriptblock]$Command) {
    Write-Host "== $Name"
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$Name failed (exit code $LASTEXITCODE)" }
}

Invoke-Step 'uv sync (with the freeze group)' { uv sync --locked --group freeze }
$version = (uv run --locked --no-sync python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $version) { throw 'Cannot read the version from pyproject.toml' }
Write-Host "APK Desktop $version"
Invoke-Step 'PyInstaller' { uv run --locked --group freeze pyinstaller --noconfirm --clean packaging/apk-desktop.spec }

# The frozen command line on a throw-away data folder; the user's own folder stays untouched.
$exe = Join-Path $root 'dist\apk-desktop\apk-desktop.exe'
$data = Join-Path ([IO.Path]::GetTempPath()) ('apk-desktop-try-' + [guid]::NewGuid())
$env:APK_DESKTOP_DATA_DIR = $data
try {
    Invoke-Step 'init --demo' { & $exe init --demo }
    Invoke-Step 'print' { & $exe print PL-BLANK-2026-03-02 --out (Join-Path $data 'PL-BLANK.pdf') }
    Invoke-Step 'backup' { & $exe backup --to (Join-Path $data 'zalohy') }
    $snapshot = Get-ChildItem (Join-Path $data 'zalohy\snapshots') -Filter '*.json' | Select-Object -First 1
    if (-not $snapshot) { throw 'backup made no snapshot' }
    Invoke-Step 'verify' { & $exe verify $snapshot.FullName }
}
finally {
    Remove-Item Env:APK_DESKTOP_DATA_DIR
    Remove-Item -Recurse -Force $data -ErrorAction SilentlyContinue
}

if ($NoInstaller) { return }
$iscc = Get-Command 'iscc.exe' -ErrorAction SilentlyContinue
$isccPath = if ($iscc) { $iscc.Source } else {
    @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
      "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
      "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $isccPath) { throw 'Inno Setup 6 (ISCC.exe) not found; install it or use -NoInstaller' }
Invoke-Step 'Inno Setup' { & $isccPath "/DAppVersion=$version" 'packaging\windows\apk-desktop.iss' }
Get-ChildItem (Join-Path $root 'dist') -Filter 'apk-desktop-*-instalace.exe' | ForEach-Object { Write-Host "installer: $($_.FullName)" }
