//! nginx from Debian on a free loopback port, as the tests and the load
//! benchmark need it: a reverse proxy in front of several instances, or a
//! plain file server giving the benchmark its baseline (the very bytes
//! Holdspace sent, served as fast as this machine can serve anything).

#![allow(dead_code, reason = "the tests proxy; the load benchmark also serves files")]

use std::path::Path;
use std::process::{Child, Command, Stdio};

pub struct Nginx {
    pub base: String,
    process: Child,
    program: &'static str,
    dir: tempfile::TempDir,
}

/// A file for [`Nginx::serving`]: the bytes of a response and the headers
/// that say what they are.
pub struct Served<'a> {
    pub path: &'a str,
    pub content_type: &'a str,
    pub content_encoding: Option<&'a str>,
    pub body: &'a [u8],
}

impl Nginx {
    /// Round-robin over the instances at these base URLs.
    pub fn proxy(upstreams: &[&str]) -> Nginx {
        let servers: String = upstreams
            .iter()
            .map(|base| format!("server {};\n", base.trim_start_matches("http://")))
            .collect();
        Self::start(&format!("upstream holdspace {{ {servers} keepalive 64; }}"), |_| {
            "location / {
      proxy_pass http://holdspace;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }"
            .to_owned()
        })
    }

    /// Serves each file at its path with its own headers and nothing else.
    pub fn serving(files: &[Served]) -> Nginx {
        Self::start("", |dir| {
            let www = dir.join("www");
            std::fs::create_dir(&www).unwrap();
            let mut locations = String::new();
            for (i, file) in files.iter().enumerate() {
                std::fs::write(www.join(i.to_string()), file.body).unwrap();
                let encoding = file
                    .content_encoding
                    .map(|e| format!("add_header Content-Encoding {e};"))
                    .unwrap_or_default();
                locations.push_str(&format!(
                    "location = {} {{ root {}; try_files /{i} =404; types {{ }} default_type \"{}\"; {encoding} }}\n",
                    file.path,
                    www.display(),
                    file.content_type
                ));
            }
            locations
        })
    }

    /// nginx with `http` in its `http` block and one server on a free port
    /// whose contents `server` writes (given nginx's own folder).
    fn start(http: &str, server: impl FnOnce(&Path) -> String) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        // Readable by the workers, which run as another user when started by root.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let server = server(dir.path());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let path = dir.path().display();
        let config = format!(
            "daemon off; worker_processes 1; pid {path}/nginx.pid; error_log {path}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {path}/body; proxy_temp_path {path}/proxy;
  fastcgi_temp_path {path}/fastcgi; uwsgi_temp_path {path}/uwsgi; scgi_temp_path {path}/scgi;
  {http}
  server {{
    listen 127.0.0.1:{port};
    {server}
  }}
}}
"
        );
        std::fs::write(dir.path().join("nginx.conf"), config).unwrap();
        // Debian keeps it in /usr/sbin, which is not on every user's PATH.
        let nginx = if Path::new("/usr/sbin/nginx").exists() {
            "/usr/sbin/nginx"
        } else {
            "nginx"
        };
        let mut process = Command::new(nginx)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("nginx is needed here (bash .ci/run installs it): {e}"));
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Nginx {
                    base: format!("http://127.0.0.1:{port}"),
                    process,
                    program: nginx,
                    dir,
                };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = process.kill();
        let _ = process.wait();
        panic!(
            "nginx did not start: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
    }
}

impl Drop for Nginx {
    /// Stops nginx as its own `-s stop` does: the master stops its worker
    /// before it exits. Killed outright, the master left the worker
    /// running, still holding the port, after every test and benchmark.
    fn drop(&mut self) {
        let stopped = Command::new(self.program)
            .arg("-p")
            .arg(self.dir.path())
            .arg("-c")
            .arg(self.dir.path().join("nginx.conf"))
            .args(["-s", "stop"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        for _ in 0..100 {
            if !stopped || self.process.try_wait().is_ok_and(|exited| exited.is_some()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
