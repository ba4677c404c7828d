"""APK Desktop: the mentor's app for crime-prevention assistants (APK)."""

__version__ = "0.13.0"
APP_NAME = "APK Desktop"
