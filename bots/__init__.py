"""Chat bots: a channel-agnostic dialogue engine with Telegram and WhatsApp adapters."""
