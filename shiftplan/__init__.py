"""shiftplan: shiftplan."""
