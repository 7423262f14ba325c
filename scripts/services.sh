#!/usr/bin/env bash
# Placeholder until the real-server script lands.
echo "services: nothing to start yet"
