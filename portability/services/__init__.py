"""services of portability, one module per area (framework, mobilisations, deployments)."""
