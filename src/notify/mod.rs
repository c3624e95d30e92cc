//! E-mail notices: the outbox worker, rendering (Chinese first, English below, with
//! calendar files) and transports (SMTP, `.eml` files, stdout).
