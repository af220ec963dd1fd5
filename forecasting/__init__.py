"""shiftplan: forecasting."""
