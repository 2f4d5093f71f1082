"""The HTTP surface: Connexion apps for the banks, the hub and the control plane, and the app factory."""
