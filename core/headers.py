"""Security headers on every answer: pages, JSON, static files, the service worker, errors.

The Content-Security-Policy allows scripts, styles and everything else from this origin only: no
inline script or event handler (templates load static/js/ files and mark confirmations with
data-confirm), no eval, no framing. A template that slips an inline script back in is blocked by
the browser, and the browser tests fail on the CSP report in the console.
"""

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Features the app never uses (it never asks for a position: see Personal data in the README).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HSTS = "max-age=31536000"  # one year; without includeSubDomains: other hosts are not ours

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # Same origin only: Flask-WTF's CSRF check needs the Referer over HTTPS, and no other site
    # should learn our paths (the private iCal feed's URL is a secret).
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        # Only behind HTTPS (SECURE_COOKIES): over plain HTTP it would lock browsers out.
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
