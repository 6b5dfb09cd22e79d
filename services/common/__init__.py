"""What every service shares: settings, Redis names, stream encoding, metrics and HTTP wiring."""
