"""shiftplan: outputs."""
