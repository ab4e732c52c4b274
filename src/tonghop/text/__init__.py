"""Vietnamese text, standard library only: normalize, fold, legacy encodings, numbers, dates."""
