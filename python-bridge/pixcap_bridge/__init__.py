"""pixcap's Python bridge: `python -m pixcap_bridge <env|train|infer>` speaks versioned JSON lines on stdout.

The protocol is documented in docs/bridge-protocol.md; the TypeScript side (src/bridge/) validates every line.
"""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
