"""The production stack's parts, run as processes of a test: the systemd units and the nginx site shipped
in deploy/, read as they are and started with this machine's ports and paths put in; a client that
speaks HTTPS to nginx like a browser (cookies, CSRF, redirects); and which process holds a TCP connection.
"""

import http.cookiejar
import os
import re
import shlex
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


# systemd units ---------------------------------------------------------------------------------------

class Unit:
    """A [Service] section of a shipped unit file, turned into the command and environment systemd would
    run. `paths` maps the unit's absolute paths (the installation's) to this machine's; `env_files` maps
    an EnvironmentFile's path to its variables (a missing optional one, `-/path`, is skipped)."""

    def __init__(self, path: Path):
        self.path = path
        self.service = []
        section = None
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line.strip("[]")
            elif section == "Service":
                key, _, value = line.partition("=")
                self.service.append((key.strip(), value.strip()))

    def values(self, key):
        return [value for k, value in self.service if k == key]

    def command(self, *, instance: str, paths: dict, env_files: dict, base_env: dict):
        def specifiers(text):
            text = text.replace("%%", "\0").replace("%i", instance).replace("%I", instance)
            assert "%" not in text, f"{self.path.name}: a specifier the test does not know in {text!r}"
            return text.replace("\0", "%")

        def local(text):
            for installed, here in paths.items():
                text = text.replace(installed, here)
            return text

        env = dict(base_env)
        for assignment in self.values("Environment"):
            for word in shlex.split(assignment):
                name, _, value = specifiers(word).partition("=")
                env[name] = local(value)
        for name in self.values("EnvironmentFile"):  # files win over Environment=, in their order
            name = specifiers(name)
            optional = name.startswith("-")
            name = name.lstrip("-")
            if name in env_files:
                env.update(env_files[name])
            else:
                assert optional, f"{self.path.name} needs {name}: give it to the test"
        for directory in self.values("RuntimeDirectory"):
            Path(local(f"/run/{specifiers(directory)}")).mkdir(parents=True, exist_ok=True)
        [exec_start] = self.values("ExecStart")
        words = []
        for word in shlex.split(specifiers(exec_start)):
            # ${NAME} is one word, as systemd expands it
            words.append(local(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], word)))
        assert not any("$" in w for w in words), words
        [cwd] = self.values("WorkingDirectory")
        return words, env, local(cwd)


class Service:
    """One unit's process (with its children, in a process group of its own); its output in `log`."""

    def __init__(self, name, argv, env, cwd, log: Path):
        self.name, self.argv, self.env, self.cwd, self.log = name, argv, env, cwd, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, start_new_session=True,
                                        stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL to the whole group: a machine losing the process, not a polite stop."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout=20):
        if not self.alive():
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def pids(self):
        """This service's processes (the master and its children share its process group)."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rpartition(")")[2].split()[2]) == self.process.pid:
                    pids.append(int(entry))
        return pids

    def output(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


# nginx ----------------------------------------------------------------------------------------------

def throwaway_certificate(directory: Path):
    """A self-signed certificate for localhost, as fullchain.pem and privkey.pem (the shipped names)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True,
    )
    return directory / "fullchain.pem"


def nginx_site(replacements: dict) -> str:
    """deploy/nginx/baltmet.conf with this machine's values; every replaced text must be found."""
    text = (DEPLOY / "nginx" / "baltmet.conf").read_text()
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/baltmet.conf no longer contains {old!r}: update the stack test"
        text = text.replace(old, new)
    return text


def nginx_service(directory: Path, site: str) -> Service:
    """nginx as a process of the test (its own prefix and main file; never the system's service)."""
    (directory / "site.conf").write_text(site)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / name).mkdir(exist_ok=True)
    main = f"""
        {'user root;' if os.geteuid() == 0 else ''}
        worker_processes 1;
        daemon off;
        pid {directory}/nginx.pid;
        error_log {directory}/error.log warn;
        events {{ worker_connections 256; }}
        http {{
            include /etc/nginx/mime.types;
            default_type application/octet-stream;
            client_body_temp_path {directory}/client_body;
            proxy_temp_path {directory}/proxy;
            fastcgi_temp_path {directory}/fastcgi;
            uwsgi_temp_path {directory}/uwsgi;
            scgi_temp_path {directory}/scgi;
            include {directory}/site.conf;
        }}
    """
    (directory / "nginx.conf").write_text(main)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run([nginx, "-t", "-p", str(directory), "-c", str(directory / "nginx.conf")],
                           capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t refused the shipped site:\n{check.stderr}"
    return Service("nginx", [nginx, "-p", str(directory), "-c", str(directory / "nginx.conf")], dict(os.environ),
                   str(directory), directory / "nginx.out")


# A browser's part ---------------------------------------------------------------------------------------

class Browser:
    """Cookies, the CSRF token, redirects followed, every answer kept (`seen`: status, method, URL)."""

    def __init__(self, base_url: str, cafile: Path):
        self.base_url = base_url
        self.seen = []
        self.jar = http.cookiejar.CookieJar()
        browser = self

        class Redirects(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, req, fp, code, msg, headers, newurl):
                browser.seen.append((code, req.get_method(), req.full_url))
                return super().redirect_request(req, fp, code, msg, headers, newurl)

        context = ssl.create_default_context(cafile=str(cafile))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(self.jar), Redirects)
        self.last_page = ""

    def request(self, path, data=None, *, referer=None):
        url = path if path.startswith("http") else self.base_url + path
        headers = {"User-Agent": "stack-test"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.update({"Origin": self.base_url, "Referer": referer or url,
                            "Content-Type": "application/x-www-form-urlencoded"})
        request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            self.seen.append((error.code, request.get_method(), url))
            raise AssertionError(f"{request.get_method()} {url} answered {error.code}:\n"
                                 f"{error.read()[:2000].decode(errors='replace')}") from None
        page = response.read().decode(errors="replace")
        self.seen.append((response.status, request.get_method(), response.url))
        self.last_page, self.last_url, self.last_headers = page, response.url, response.headers
        return page

    def get(self, path):
        return self.request(path)

    def post_form(self, path, fields: dict, *, form_page: str | None = None):
        """POST with the CSRF token of the page the form is on (GET first unless it is given)."""
        page = form_page if form_page is not None else self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **fields})

    def cookie(self, name):
        return next((c for c in self.jar if c.name == name), None)


# Who holds a connection ------------------------------------------------------------------------------------

def socket_owner(local_port: int, remote_port: int, services) -> "Service | None":
    """The service one of whose processes holds the TCP connection 127.0.0.1:local_port → :remote_port."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == local_port and int(remote.split(":")[1], 16) == remote_port:
            inode = fields[9]
    if inode is None:
        return None
    for service in services:
        for pid in service.pids():
            try:
                links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
            except OSError:
                continue
            if f"socket:[{inode}]" in links:
                return service
    return None


def wait_until(condition, *, timeout, message, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")
