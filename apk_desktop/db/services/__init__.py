"""Services: functions that take a Session, validate, read and write. The UI calls only these."""
