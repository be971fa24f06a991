"""The second factor in tests: a confirmed authenticator with a key the test knows, the code it shows
now, and a test client's session marked as having passed it.

Tests log in with `force_login` (client_for, races.logged_in); on its own that is a session without
the second factor, which the gate (twofactor/middleware.py) sends to the code or set-up page. These
helpers do in the test what the code page does for a person: nothing here is reachable over HTTP.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.permissions import two_factor_required


def authenticator_for(user) -> TOTPDevice:
    """The person's confirmed authenticator, set up now if they have none."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def code_now(device: TOTPDevice) -> str:
    """A code the device accepts now: the current step's, or the next one's if the current one was used
    (a device accepts one step either side, never a step twice); waits for a new step if both were."""
    device.refresh_from_db()
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = totp.t()
        for offset in (0, 1):
            if now + offset > device.last_t:
                totp.time = time.time() + offset * device.step
                return f"{totp.token():0{device.digits}d}"
        time.sleep(max(0.05, device.step - (time.time() - device.t0) % device.step))


def wrong_code(device: TOTPDevice) -> str:
    accepted = {code_now(device)}
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def pass_second_factor(client, user) -> None:
    """Mark a force_login'ed test client's session as having passed the second factor — for people who
    must have one (an authenticator is set up for them when missing) and for those who have one."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        had_roles = "_baltmet_roles" in user.__dict__
        required = two_factor_required(user)
        if not had_roles:
            user.__dict__.pop("_baltmet_roles", None)  # the test may change the roles afterwards
        if not required:
            return
    device = device or authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
