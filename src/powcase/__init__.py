"""powcase: casework for prisoners of war whose return may endanger them."""
