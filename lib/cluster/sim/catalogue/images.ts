/**
 * The images a sim cluster knows, as data: which repositories and tags exist (anything else fails
 * to pull with the registry's real answer), their ids and sizes, which registries need a pull
 * secret, and how the image's default process behaves (ports, log lines, memory, SIGTERM).
 * Pack authors: pick images from here when a scenario needs known behaviour.
 *
 * Log templates: {{time:nginx}} 2026/11/21 08:00:37, {{time:redis}} 21 Nov 2026 08:00:37.123,
 * {{time:apache}} Sat Nov 21 08:00:37.123456 2026, {{time:iso}} 2026-11-21T08:00:37.123456Z,
 * {{time:klog}} I1121 08:00:37.123456, {{time:mysql}} 2026-11-21 08:00:37+00:00,
 * {{time:logrus}} 2026-11-21T08:00:37.123456789Z,
 * {{podIP}}, {{hostname}}, {{nodeName}}.
 */

export interface TagInfo {
  /** image id (config digest), 64 hex */
  id: string;
  /** repo digest (manifest list digest), 64 hex */
  digest: string;
  /** unpacked size in bytes, shown in "Successfully pulled image … Image size: N bytes." */
  size: number;
}

export interface EnvRequirement {
  /** The process starts only when one of these variables is set and non-empty. */
  anyOf: string[];
  /** What it prints (stderr) before exiting 1 otherwise. */
  failLogs: string[];
}

export interface ImageBehaviour {
  /** ENTRYPOINT and CMD of the image. */
  entrypoint: string[];
  cmd: string[];
  /** TCP ports the default process listens on. */
  ports: number[];
  /** HTTP paths answered 200 on those ports ("any" = every path); others 404. Absent = not HTTP. */
  http?: "any" | string[];
  /** Log lines written at start, in order. */
  startupLogs: string[];
  /** Body of a 200 answer (e.g. nginx's welcome page). */
  httpBody?: string;
  /** Files the image ships that matter to users (config, web content). */
  files?: Record<string, string>;
  /** Web root: an HTTP GET serves the file under it (`/` → index.html), else 404. */
  docRoot?: string;
  /** Programs besides busybox-like applets that the image has (curl, bash). */
  tools?: string[];
  /** A line written for each HTTP request (probes included), if the server logs access. */
  accessLog?: string;
  /** Resident memory of the default process, in MiB: a lower memory limit gets it OOMKilled. */
  memoryMi: number;
  /** Exit code and lines when the kubelet stops it; code 137 means it ignores SIGTERM until the grace period ends. */
  onStop: { exitCode: number; logs?: string[] };
  /** Has /bin/sh (busybox-style), so `sh -c` commands are interpreted. */
  shell: boolean;
  /** Refuses to start without one of these env vars (postgres, mysql). */
  requiresEnv?: EnvRequirement;
  /** Default process exits by itself after this many ms with this code (hello-world-like). */
  exitsAfterMs?: number;
  exitCode?: number;
  /**
   * The default process is a distribution (registry:2) server: it stores pushed images under
   * `storage` and, with REGISTRY_AUTH=htpasswd, asks for the users of the htpasswd file named by
   * REGISTRY_AUTH_HTPASSWD_PATH (see distribution-registry.ts).
   */
  registry?: { storage: string };
}

export interface CatalogueImage {
  /** Fully qualified repository, e.g. docker.io/library/nginx */
  repository: string;
  tags: Record<string, TagInfo>;
  /** Present on every node when the cluster starts (kind node image content, or `kind load`). */
  preloaded?: string[];
  /** Pulls need a dockerconfigjson pull secret for the registry with these credentials. */
  private?: { username: string; password: string };
  behaviour: ImageBehaviour;
}

/** Registries the sim can reach; any other host fails DNS, as an unknown host does on a node. */
export const KNOWN_REGISTRIES = ["docker.io", "registry.k8s.io", "quay.io", "ghcr.io", "registry.example.com"];

/** Where the node's resolver is, for the "no such host" message (kind's docker network gateway). */
export const NODE_RESOLVER = "172.18.0.1:53";

function tag(id: string, digest: string, size: number): TagInfo {
  return { id, digest, size };
}

const NGINX_LOGS = [
  "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
  "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
  "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
  "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
  "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
  "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
  "/docker-entrypoint.sh: Configuration complete; ready for start up",
  "{{time:nginx}} [notice] 1#1: using the \"epoll\" event method",
  "{{time:nginx}} [notice] 1#1: nginx/{{version}}",
  "{{time:nginx}} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
  "{{time:nginx}} [notice] 1#1: OS: Linux 6.8.0-51-generic",
  "{{time:nginx}} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
  "{{time:nginx}} [notice] 1#1: start worker processes",
  "{{time:nginx}} [notice] 1#1: start worker process 29",
  "{{time:nginx}} [notice] 1#1: start worker process 30",
];

export const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_DEFAULT_CONF = `server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}
`;

const nginx = (version: string): ImageBehaviour => ({
  entrypoint: ["/docker-entrypoint.sh"],
  cmd: ["nginx", "-g", "daemon off;"],
  ports: [80],
  http: ["/", "/index.html"],
  httpBody: NGINX_INDEX,
  docRoot: "/usr/share/nginx/html",
  files: {
    "/usr/share/nginx/html/index.html": NGINX_INDEX,
    "/usr/share/nginx/html/50x.html": "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n",
    "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT_CONF,
  },
  tools: ["curl", "bash"],
  startupLogs: NGINX_LOGS.map((l) => l.replace("{{version}}", version)),
  accessLog: '{{client}} - - [{{time:clf}}] "GET {{path}} HTTP/1.1" {{status}} {{bytes}} "-" "kube-probe/1.32" "-"',
  memoryMi: 8,
  onStop: { exitCode: 0, logs: ["{{time:nginx}} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down", "{{time:nginx}} [notice] 1#1: exit"] },
  shell: true,
});

const shellImage = (): ImageBehaviour => ({
  entrypoint: [],
  cmd: ["sh"],
  ports: [],
  startupLogs: [],
  memoryMi: 1,
  onStop: { exitCode: 137 },
  shell: true,
  tools: ["wget", "nc", "nslookup", "ping"],
});

const component = (logs: string[], ports: number[], http?: string[]): ImageBehaviour => ({
  entrypoint: [],
  cmd: [],
  ports,
  http,
  startupLogs: logs,
  memoryMi: 30,
  onStop: { exitCode: 0 },
  shell: false,
});

export const IMAGE_CATALOGUE: CatalogueImage[] = [
  {
    repository: "docker.io/library/nginx",
    tags: {
      "1.25": tag("a8758716bb6aa4d90071160d27028fe4eaee7ce8166221a97d30440c8eac2be6", "a484819eb60211f5299034ac80f6a681b06f89e65866ce91f356ed7c72af059c", 70_544_896),
      "1.26": tag("6b12f4a3b6bd8ad9d9be79d08a0bd1b3bb01f6f1aa0df9d4d9c0aae9b4f7e4ad", "b3c5f6c7e43be8d6a08de1e25e97ed2a7e10d3e89a4c0c1b4ff14a0fcd8a6c1d", 72_084_480),
      "1.26.3": tag("6b12f4a3b6bd8ad9d9be79d08a0bd1b3bb01f6f1aa0df9d4d9c0aae9b4f7e4ad", "b3c5f6c7e43be8d6a08de1e25e97ed2a7e10d3e89a4c0c1b4ff14a0fcd8a6c1d", 72_084_480),
      "1.27": tag("318efd9c0f9b2d1ae22d89d364c761093a53e95e8b67495c610ab1c3e028f960", "124b44bfc9ccd1f3cedf4b592d4d1e8bddb78b51ec2ed5056c52d3692baebc19", 72_195_292),
      "1.27.4": tag("318efd9c0f9b2d1ae22d89d364c761093a53e95e8b67495c610ab1c3e028f960", "124b44bfc9ccd1f3cedf4b592d4d1e8bddb78b51ec2ed5056c52d3692baebc19", 72_195_292),
      "1.28": tag("9cbb2ef7ae5d1a3b3f18e0a5a9cb1bcaf8d7fd1c87d7f0e3e3d4c7b2a4b5e6f7", "5a7f0c9e2f1e4d3b6a8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90", 72_890_112),
      latest: tag("9cbb2ef7ae5d1a3b3f18e0a5a9cb1bcaf8d7fd1c87d7f0e3e3d4c7b2a4b5e6f7", "5a7f0c9e2f1e4d3b6a8c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f90", 72_890_112),
      stable: tag("318efd9c0f9b2d1ae22d89d364c761093a53e95e8b67495c610ab1c3e028f960", "124b44bfc9ccd1f3cedf4b592d4d1e8bddb78b51ec2ed5056c52d3692baebc19", 72_195_292),
      "1.27-alpine": tag("1ff4bb4faebcfb1f7e01144fa9904a570ab9bab88694457855feb6c6bba3fa07", "65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10", 20_442_112),
      alpine: tag("1ff4bb4faebcfb1f7e01144fa9904a570ab9bab88694457855feb6c6bba3fa07", "65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10", 20_442_112),
    },
    preloaded: ["1.27"],
    behaviour: nginx("1.27.4"),
  },
  {
    repository: "docker.io/library/busybox",
    tags: {
      "1.36": tag("120dfcd7357e5557d0f034981e6434ed9cc83f08a3fafef976d96a0064fff9b1", "9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7", 2_155_304),
      "1.36.1": tag("120dfcd7357e5557d0f034981e6434ed9cc83f08a3fafef976d96a0064fff9b1", "9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7", 2_155_304),
      "1.37": tag("ff7a7936e9306ce4a4b76c8c8f1e5aa95fb4e7c5e0aaf3e0fe1a39e3b23e1c0a", "37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f", 2_167_176),
      latest: tag("ff7a7936e9306ce4a4b76c8c8f1e5aa95fb4e7c5e0aaf3e0fe1a39e3b23e1c0a", "37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f", 2_167_176),
    },
    preloaded: ["1.36"],
    behaviour: shellImage(),
  },
  {
    repository: "docker.io/library/alpine",
    tags: {
      "3.20": tag("91ef0af61f39ece4d6710e6b8ac2a8a0a4a8f3e1b9b3b9a7d7cd6f42f2a7bd2f", "beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d", 7_807_488),
      "3.21": tag("aded1e1a5b3705116fa0a92ba074a5e0b0031647d9c315983ccba2ee5428ec8b", "a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c", 7_839_744),
      latest: tag("aded1e1a5b3705116fa0a92ba074a5e0b0031647d9c315983ccba2ee5428ec8b", "a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c", 7_839_744),
    },
    behaviour: shellImage(),
  },
  {
    repository: "docker.io/library/httpd",
    tags: {
      "2.4": tag("4ce42a8f8e0b1ad0e0b8f5a0a9bd4c3f3a5a13b6b0b1b6ff2d50a1c8dd2c4d11", "4564ca7604957765bd2598e14134a1c6812067f0daddd7dc5a484431dd03832b", 58_712_064),
      "2.4.62": tag("4ce42a8f8e0b1ad0e0b8f5a0a9bd4c3f3a5a13b6b0b1b6ff2d50a1c8dd2c4d11", "4564ca7604957765bd2598e14134a1c6812067f0daddd7dc5a484431dd03832b", 58_712_064),
      latest: tag("4ce42a8f8e0b1ad0e0b8f5a0a9bd4c3f3a5a13b6b0b1b6ff2d50a1c8dd2c4d11", "4564ca7604957765bd2598e14134a1c6812067f0daddd7dc5a484431dd03832b", 58_712_064),
    },
    behaviour: {
      entrypoint: [],
      cmd: ["httpd-foreground"],
      ports: [80],
      http: ["/", "/index.html"],
      httpBody: "<html><body><h1>It works!</h1></body></html>\n",
      docRoot: "/usr/local/apache2/htdocs",
      files: { "/usr/local/apache2/htdocs/index.html": "<html><body><h1>It works!</h1></body></html>\n" },
      tools: ["bash"],
      startupLogs: [
        "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {{podIP}}. Set the 'ServerName' directive globally to suppress this message",
        "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {{podIP}}. Set the 'ServerName' directive globally to suppress this message",
        "[{{time:apache}}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations",
        "[{{time:apache}}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
      ],
      accessLog: '{{client}} - - [{{time:clf}}] "GET {{path}} HTTP/1.1" {{status}} {{bytes}}',
      memoryMi: 10,
      onStop: { exitCode: 0, logs: ["[{{time:apache}}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully"] },
      shell: true,
    },
  },
  {
    repository: "docker.io/library/redis",
    tags: {
      "7.2": tag("0ab4c3a2d2c4e8e4bd53bbcee4c4ed5fd2f8b3d0f0d1b3c8b6a0e1d2c3b4a596", "0c5e25cde0b7a8d4f2d4b9a0e0b6f0b8c2f1e6a7d3c9b5e1f0a2d4c6b8e0f1a3", 116_893_696),
      "7.4": tag("e0f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6e7f809", "1c5f8b3e2e0b3d3f3e1b2f6d2a6c1b3a5f9d8e7c6b5a4f3e2d1c0b9a8f7e6d5c", 117_424_128),
      latest: tag("e0f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6e7f809", "1c5f8b3e2e0b3d3f3e1b2f6d2a6c1b3a5f9d8e7c6b5a4f3e2d1c0b9a8f7e6d5c", 117_424_128),
    },
    behaviour: {
      entrypoint: ["docker-entrypoint.sh"],
      cmd: ["redis-server"],
      ports: [6379],
      startupLogs: [
        "1:C {{time:redis}} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
        "1:C {{time:redis}} * Redis version=7.4.2, bits=64, commit=00000000, modified=0, pid=1, just started",
        "1:C {{time:redis}} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf",
        "1:M {{time:redis}} * monotonic clock: POSIX clock_gettime",
        "1:M {{time:redis}} * Running mode=standalone, port=6379.",
        "1:M {{time:redis}} * Server initialized",
        "1:M {{time:redis}} * Ready to accept connections tcp",
      ],
      memoryMi: 4,
      onStop: { exitCode: 0, logs: ["1:signal-handler ({{epoch}}) Received SIGTERM scheduling shutdown...", "1:M {{time:redis}} # User requested shutdown...", "1:M {{time:redis}} # Redis is now ready to exit, bye bye..."] },
      shell: true,
    },
  },
  {
    repository: "docker.io/library/postgres",
    tags: {
      "16": tag("b8b5fe2d7a3d0a1c9b4e6f2d8a0c3e5f7b9d1a2c4e6f8a0b2d4f6a8c0e2a4c6e", "d0f363f8366fbc3f52d172c6e76bc27151c3d643b870e1062b4e8bfe65baf609", 438_697_984),
      "17": tag("f7c0d4b8e2a6c0e4f8a2b6d0e4a8c2f6b0d4e8a2c6f0b4d8e2a6c0f4b8d2e6a0", "fe4efc6901dda0d952306fd962643d8022d7bb773ffe13fe8a21551b9276e50c", 453_271_552),
      latest: tag("f7c0d4b8e2a6c0e4f8a2b6d0e4a8c2f6b0d4e8a2c6f0b4d8e2a6c0f4b8d2e6a0", "fe4efc6901dda0d952306fd962643d8022d7bb773ffe13fe8a21551b9276e50c", 453_271_552),
    },
    behaviour: {
      entrypoint: ["docker-entrypoint.sh"],
      cmd: ["postgres"],
      ports: [5432],
      startupLogs: [
        "The files belonging to this database system will be owned by user \"postgres\".",
        "This user must also own the server process.",
        "",
        "Success. You can now start the database server using:",
        "",
        "PostgreSQL init process complete; ready for start up.",
        "",
        "{{time:pg}} UTC [1] LOG:  starting PostgreSQL 17.2 (Debian 17.2-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit",
        "{{time:pg}} UTC [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
        "{{time:pg}} UTC [1] LOG:  listening on IPv6 address \"::\", port 5432",
        "{{time:pg}} UTC [1] LOG:  database system is ready to accept connections",
      ],
      memoryMi: 40,
      onStop: { exitCode: 0, logs: ["{{time:pg}} UTC [1] LOG:  received fast shutdown request", "{{time:pg}} UTC [1] LOG:  database system is shut down"] },
      shell: true,
      requiresEnv: {
        anyOf: ["POSTGRES_PASSWORD", "POSTGRES_HOST_AUTH_METHOD"],
        failLogs: [
          "Error: Database is uninitialized and superuser password is not specified.",
          "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
          "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
          "",
          "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
          "       connections without a password. This is *not* recommended.",
          "",
          "       See PostgreSQL documentation about \"trust\":",
          "       https://www.postgresql.org/docs/current/auth-trust.html",
        ],
      },
    },
  },
  {
    repository: "docker.io/library/mysql",
    tags: {
      "8.0": tag("6c55ddbef96911d9ff8ec2e2af3f6e1e6e1f0a0b9c8d7e6f5a4b3c2d1e0f9a8b", "d58ac93387f644e4e040c636b8f50494e78e5afc27ca0a87348b2f577da2b7ff", 590_086_144),
      "8.4": tag("1b5b8ea7f5a0e8e1b3a6b8c4e2d0f9a7c5e3b1d9f7a5c3e1b9d7f5a3c1e9b7d5", "0f775a92d5b8d4e4e0d4a0a9d0e0a3d8a6c9d4a3bb7d6d1c4c9a0e3b8e9f2d1a", 603_979_776),
      latest: tag("1b5b8ea7f5a0e8e1b3a6b8c4e2d0f9a7c5e3b1d9f7a5c3e1b9d7f5a3c1e9b7d5", "0f775a92d5b8d4e4e0d4a0a9d0e0a3d8a6c9d4a3bb7d6d1c4c9a0e3b8e9f2d1a", 603_979_776),
    },
    behaviour: {
      entrypoint: ["docker-entrypoint.sh"],
      cmd: ["mysqld"],
      ports: [3306, 33060],
      startupLogs: [
        "{{time:mysql}} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.",
        "{{time:mysql}} [Note] [Entrypoint]: Switching to dedicated user 'mysql'",
        "{{time:iso}} 0 [System] [MY-015015] [Server] MySQL Server - start.",
        "{{time:iso}} 1 [System] [MY-013577] [InnoDB] InnoDB initialization has ended.",
        "{{time:iso}} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
      ],
      memoryMi: 380,
      onStop: { exitCode: 0 },
      shell: true,
      requiresEnv: {
        anyOf: ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"],
        failLogs: [
          "{{time:mysql}} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.",
          "{{time:mysql}} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified",
          "    You need to specify one of the following as an environment variable:",
          "    - MYSQL_ROOT_PASSWORD",
          "    - MYSQL_ALLOW_EMPTY_PASSWORD",
          "    - MYSQL_RANDOM_ROOT_PASSWORD",
        ],
      },
    },
  },
  {
    repository: "docker.io/polinux/stress",
    tags: {
      "1.0.4": tag("df58d15b053d3b4f3d6dd2c3b2a0c06b7b4c6ad6b4e5cf1d9b1d3a6a3c46c9e0", "b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa", 9_744_544),
      latest: tag("df58d15b053d3b4f3d6dd2c3b2a0c06b7b4c6ad6b4e5cf1d9b1d3a6a3c46c9e0", "b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa", 9_744_544),
    },
    behaviour: {
      entrypoint: [],
      cmd: ["stress"],
      ports: [],
      startupLogs: ["stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd"],
      memoryMi: 1,
      onStop: { exitCode: 137 },
      shell: true,
    },
  },
  {
    repository: "docker.io/curlimages/curl",
    tags: {
      "8.11.1": tag("6e3c8b1f4b3c1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d", "c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69", 11_965_440),
      latest: tag("6e3c8b1f4b3c1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d", "c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69", 11_965_440),
    },
    behaviour: { entrypoint: ["/entrypoint.sh"], cmd: ["curl"], ports: [], startupLogs: [], memoryMi: 2, onStop: { exitCode: 137 }, shell: true, tools: ["curl", "wget", "nc", "nslookup", "ping"] },
  },
  {
    repository: "docker.io/library/registry",
    tags: {
      "2": tag("b67d9c321bcafc5fe0b48ccdb979ad9ac51e054804e86ffc568b3447d0d4a833", "f6d6513a2a5e29e37c24a3723b357487d487e0c58b0d6b130a2fa61b4d865fbb", 25_431_040),
      "2.8": tag("b67d9c321bcafc5fe0b48ccdb979ad9ac51e054804e86ffc568b3447d0d4a833", "f6d6513a2a5e29e37c24a3723b357487d487e0c58b0d6b130a2fa61b4d865fbb", 25_431_040),
      "2.8.3": tag("b67d9c321bcafc5fe0b48ccdb979ad9ac51e054804e86ffc568b3447d0d4a833", "f6d6513a2a5e29e37c24a3723b357487d487e0c58b0d6b130a2fa61b4d865fbb", 25_431_040),
    },
    behaviour: {
      entrypoint: ["/entrypoint.sh"],
      cmd: ["/etc/docker/registry/config.yml"],
      ports: [5000],
      // GET /v2/ answers 200 without auth configured; with htpasswd auth the model answers 401 (distribution-registry.ts).
      http: ["/v2/"],
      httpBody: "{}",
      startupLogs: [
        'time="{{time:logrus}}" level=warning msg="No HTTP secret provided - generated random secret. This may cause problems with uploads if multiple registries are behind a load-balancer. To provide a shared secret, fill in http.secret in the configuration file or set the REGISTRY_HTTP_SECRET environment variable." go.version=go1.20.8 instance.id=6c3f4b0e-8d2a-4f7b-9a51-2e7d0c9b1f43 service=registry version=2.8.3 ',
        'time="{{time:logrus}}" level=info msg="redis not configured" go.version=go1.20.8 instance.id=6c3f4b0e-8d2a-4f7b-9a51-2e7d0c9b1f43 service=registry version=2.8.3 ',
        'time="{{time:logrus}}" level=info msg="Starting upload purge in 20m0s" go.version=go1.20.8 instance.id=6c3f4b0e-8d2a-4f7b-9a51-2e7d0c9b1f43 service=registry version=2.8.3 ',
        'time="{{time:logrus}}" level=info msg="using inmemory blob descriptor cache" go.version=go1.20.8 instance.id=6c3f4b0e-8d2a-4f7b-9a51-2e7d0c9b1f43 service=registry version=2.8.3 ',
        'time="{{time:logrus}}" level=info msg="listening on [::]:5000" go.version=go1.20.8 instance.id=6c3f4b0e-8d2a-4f7b-9a51-2e7d0c9b1f43 service=registry version=2.8.3 ',
      ],
      memoryMi: 12,
      // PID 1 without a SIGTERM handler (no http.draintimeout): killed at the end of the grace period.
      onStop: { exitCode: 137 },
      shell: true,
      tools: ["wget", "nc", "nslookup"],
      registry: { storage: "/var/lib/registry" },
    },
  },
  {
    repository: "registry.k8s.io/pause",
    tags: { "3.10": tag("873ed75102791e5b0b8a7fcd41606c92fcec98d56d05ead4ac5131650004c136", "ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a", 320_368) },
    preloaded: ["3.10"],
    behaviour: { entrypoint: ["/pause"], cmd: [], ports: [], startupLogs: [], memoryMi: 1, onStop: { exitCode: 0 }, shell: false },
  },
  {
    repository: "registry.k8s.io/coredns/coredns",
    tags: { "v1.11.3": tag("c69fa2e9cbf5f42dc48af631e956d3f95724c13f91596bc567591790e5e36db6", "9caabbf6238b189a65d0d6e6ac138de60d6a1c419e5a341fbbb7c78382559c6e", 18_562_039) },
    preloaded: ["v1.11.3"],
    behaviour: component(
      [".:53", "[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908", "CoreDNS-1.11.3", "linux/amd64, go1.21.11, a6338e9"],
      [53, 8080, 8181],
      ["/health", "/ready"],
    ),
  },
  {
    repository: "registry.k8s.io/kube-proxy",
    tags: { "v1.32.2": tag("f1332858868e1c6a905123b21e2e322ab45a5b99a3532e68ff49a87c2266ebc5", "83c025f0faa6799fab6645102a98138e39a9a7db2be3bc792c79d72659b1805d", 95_271_321) },
    preloaded: ["v1.32.2"],
    behaviour: component(
      [
        "{{time:klog}}       1 server_linux.go:66] \"Using iptables proxy\"",
        "{{time:klog}}       1 server.go:698] \"Successfully retrieved node IP(s)\" IPs=[\"{{hostIP}}\"]",
        "{{time:klog}}       1 server_linux.go:170] \"Using iptables Proxier\"",
        "{{time:klog}}       1 config.go:199] \"Starting service config controller\"",
        "{{time:klog}}       1 config.go:105] \"Starting endpoint slice config controller\"",
        "{{time:klog}}       1 config.go:329] \"Starting node config controller\"",
      ],
      [10249, 10256],
    ),
  },
  {
    repository: "docker.io/kindest/kindnetd",
    tags: { "v20250214-acbabc1a": tag("df3849d954c98a7162c7bee7313ece357606e313d98ebd68b7aac5e961b1156f", "e3c42406b0806c1f7e8a66838377936cbd2cdfd94d9b26a3eefedada8713d495", 39_008_320) },
    preloaded: ["v20250214-acbabc1a"],
    behaviour: component(
      [
        "{{time:klog}}       1 main.go:109] connected to apiserver: https://10.96.0.1:443",
        "{{time:klog}}       1 main.go:139] hostIP = {{hostIP}}",
        "podIP = {{hostIP}}",
        "{{time:klog}}       1 main.go:148] setting mtu 1500 for CNI ",
        "{{time:klog}}       1 main.go:178] kindnetd IP family: \"ipv4\"",
        "{{time:klog}}       1 main.go:182] noMask IPv4 subnets: [10.244.0.0/16]",
        "{{time:klog}}       1 main.go:297] Handling node with IPs: map[{{hostIP}}:{}]",
        "{{time:klog}}       1 main.go:301] handling current node",
      ],
      [],
    ),
  },
  {
    repository: "docker.io/kindest/local-path-provisioner",
    tags: { "v20250214-acbabc1a": tag("bbb6209cc873b1a0eb8bb42b2e6ed4d4d5a9f1a1e4f3b2c0d9e8f7a6b5c4d3e2", "e0b7b1b0d62e6a8f0a1c4e7a2c7bbe3c7b3c3d3e9c7f3c4d1a1b5f2e7d0c9a8b", 22_541_737) },
    preloaded: ["v20250214-acbabc1a"],
    behaviour: component(["time=\"{{time:iso}}\" level=info msg=\"Starting provisioner controller rancher.io/local-path_local-path-provisioner\""], []),
  },
  {
    repository: "registry.k8s.io/etcd",
    tags: { "3.5.16-0": tag("a9e7e6b294baf1695fccb862d956c5d3ad8510e1e4ca1535f35dc09f247abbfc", "c6a9d11cc5c04b114ccdef39a9265eeef818e3d02f5359be035ae784097fdec5", 57_680_541) },
    preloaded: ["3.5.16-0"],
    behaviour: component(["{\"level\":\"info\",\"ts\":\"{{time:iso}}\",\"caller\":\"etcdmain/etcd.go:73\",\"msg\":\"Running: \"}"], [2379, 2380, 2381], ["/health", "/readyz", "/livez"]),
  },
  {
    repository: "registry.k8s.io/kube-apiserver",
    tags: { "v1.32.2": tag("6417e1437b6d9a789e1ca789695a574e1df00a632bdbfbcae9695c9a7d500e32", "c47449f3e751588ea0cb74e325e0f83db335a415f4f4c7fb147375dd6c84757f", 98_051_552) },
    preloaded: ["v1.32.2"],
    behaviour: component(["{{time:klog}}       1 options.go:238] external host was not specified, using {{hostIP}}"], [6443], ["/livez", "/readyz", "/healthz"]),
  },
  {
    repository: "registry.k8s.io/kube-controller-manager",
    tags: { "v1.32.2": tag("3c9285acfd2ff7915bb451cc40ac060366ac519f3fef00c455f5aca0e0346c4d", "399aa50f4d1361c59dc458e634506d02de32613d03a9a614a21058741162ef90", 90_793_286) },
    preloaded: ["v1.32.2"],
    behaviour: component(["{{time:klog}}       1 serving.go:386] Generated self-signed cert in-memory"], [10257], ["/healthz"]),
  },
  {
    repository: "registry.k8s.io/kube-scheduler",
    tags: { "v1.32.2": tag("d8e673e7c9983f1f53569a9d2ba786c8abb42e3f744f77dc97a595f3caf9435d", "45710d74cfd5aa10a001d0cf81747b77c28617444ffee0503d12f1dcd7450f76", 70_653_254) },
    preloaded: ["v1.32.2"],
    behaviour: component(["{{time:klog}}       1 serving.go:386] Generated self-signed cert in-memory"], [10259], ["/healthz"]),
  },
  {
    repository: "registry.example.com/team/app",
    tags: {
      "1.0": tag("5e4c3b2a19087f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918070f6", "7d6c5b4a39281f0e9d8c7b6a59483f2e1d0c9b8a79685f4e3d2c1b0a9f8e7d6c", 25_165_824),
      "1.1": tag("6f5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918070f65e4c3b2a190871", "8e7d6c5b4a39281f0e9d8c7b6a59483f2e1d0c9b8a79685f4e3d2c1b0a9f8e7d", 25_427_968),
    },
    private: { username: "team-ci", password: "s3cr3t" },
    behaviour: {
      entrypoint: ["/app"],
      cmd: [],
      ports: [8080],
      http: ["/", "/healthz", "/ready"],
      startupLogs: ['{"level":"info","ts":"{{time:iso}}","msg":"team app 1.0 listening","addr":":8080"}'],
      memoryMi: 20,
      onStop: { exitCode: 0, logs: ['{"level":"info","ts":"{{time:iso}}","msg":"shutting down"}'] },
      shell: false,
    },
  },
];

export interface ImageRef {
  /** as written in the pod spec */
  raw: string;
  /** registry host */
  host: string;
  /** path inside the registry, e.g. library/nginx */
  path: string;
  tag?: string;
  digest?: string;
  /** docker.io/library/nginx:1.27 */
  full: string;
  /** docker.io/library/nginx */
  repository: string;
}

/** Normalises an image reference the way containerd does (docker.io/library defaulting, :latest). */
export function parseImageRef(raw: string): ImageRef {
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tagPart: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tagPart = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split("/")[0] ?? "";
  let host = "docker.io";
  let path = rest;
  if (rest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) {
    host = first;
    path = rest.slice(first.length + 1);
  }
  if (host === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (!tagPart && !digest) tagPart = "latest";
  const repository = `${host}/${path}`;
  const full = `${repository}${tagPart ? `:${tagPart}` : ""}${digest ? `@${digest}` : ""}`;
  return { raw, host, path, tag: tagPart, digest, full, repository };
}

export function findCatalogueImage(ref: ImageRef): CatalogueImage | undefined {
  return IMAGE_CATALOGUE.find((i) => i.repository === ref.repository);
}

/** The tag info an image reference resolves to, if the registry has it. */
export function resolveTag(ref: ImageRef): { image: CatalogueImage; tag: TagInfo; tagName: string } | undefined {
  const image = findCatalogueImage(ref);
  if (!image) return undefined;
  if (ref.digest) {
    const hex = ref.digest.replace(/^sha256:/, "");
    const hit = Object.entries(image.tags).find(([, t]) => t.digest === hex);
    return hit ? { image, tag: hit[1], tagName: hit[0] } : undefined;
  }
  const t = ref.tag ? image.tags[ref.tag] : undefined;
  return t && ref.tag ? { image, tag: t, tagName: ref.tag } : undefined;
}
