print("outflow")
