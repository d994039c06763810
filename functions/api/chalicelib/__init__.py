"""Route modules of the API (Chalice blueprints), packaged with app.py as Chalice expects."""
