"""shiftplan: scheduler."""
