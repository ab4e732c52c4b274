"""One function per user action; each owns its transaction. The CLI, API and web call only these."""
