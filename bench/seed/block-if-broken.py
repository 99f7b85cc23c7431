#!/usr/bin/env python3
# .claude/hooks/block-if-broken.py
"""
Block new feature implementation if health check failed.
"""

import json
import sys
import os

def main():
    # Check if state shows broken
    state_file = ".claude/progress/state.json"
    if not os.path.exists(state_file):
        sys.exit(0)

    with open(state_file) as f:
        state = json.load(f)

    if state.get("health_status") == "BROKEN":
        input_data = json.load(sys.stdin)
        tool_input = input_data.get("tool_input", {})
        file_path = tool_input.get("file_path", "")

        # Block edits to src/ when broken
        if "/src/" in file_path or file_path.startswith("src/"):
            print("BLOCKED: App is broken - fix health check first", file=sys.stderr)
            print("Run: ./scripts/session-entry.sh to see status", file=sys.stderr)
            sys.exit(2)

    sys.exit(0)

if __name__ == "__main__":
    main()
