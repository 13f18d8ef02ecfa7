"""pycognito-web: Amazon Cognito User Pools in pure Python, for the browser and CPython."""

__version__ = "0.1.0"
