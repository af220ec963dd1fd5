"""shiftplan: inputs."""
