"""Who came: check-in and check-out from the phone, the secretary's marks, hours per month and
their XLSX export."""
