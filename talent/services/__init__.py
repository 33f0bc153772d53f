"""services of talent, one module per area (search, vacancies, applications, alerts)."""
