"""Demo material: the sample archive's documents (fictional province Lam Giang) and the script that builds them."""
