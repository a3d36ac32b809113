"""The documents: what each says (sources), how it is advised (recommendations), and how it
is printed (render, with the templates in templates/reports/pdf/)."""
