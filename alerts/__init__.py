"""The early-warning queue and the notifications it sends."""
