/**
 * The `--help` text. README.md's "The command" section shows it verbatim (a test compares them),
 * and every flag in it has an example line (a test checks that too).
 *
 * @module
 */

export const USAGE = `Usage: simplehttp [s3://BUCKET[/PREFIX]] [port] [options]

Serve the files of a directory over HTTP, like python -m http.server, or of an S3-compatible bucket.

Arguments:
  s3://BUCKET/PREFIX      serve a bucket instead of a directory (credentials and endpoint from
                          AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL)
  port                    port to listen on (default: $PORT if set, else 8000; 0 picks a free port)

Options:
  -b, --bind ADDR         address to bind (default: all interfaces)
  -d, --directory DIR     directory or s3://BUCKET/PREFIX to serve (default: the current directory)
      --store-timeout SECONDS
                          how long a call to the bucket may take, then 504 (default: 10)
  -q, --quiet             do not log requests
      --log-format FMT    python, common, combined or json (default: python; terminals get colours)
      --open              open the served URL in the default browser
      --qr                show the Network URL as a QR code, to open it on a phone
      --watch             reload pages as their files change, swap changed CSS in place
      --cors              allow cross-origin requests (Access-Control-Allow-Origin: *)
      --cache VALUE       Cache-Control for files, e.g. --cache max-age=3600
  -H, --header 'K: V'     add a response header (repeatable)
      --precompressed     serve file.br / file.zst / file.gz for file when the client accepts them
      --gzip              gzip text files on the fly when the client accepts it
      --dotfiles POLICY   ignore (404, the default), deny (403) or allow dotfiles
      --follow-symlinks   follow symlinks that lead outside the directory too
      --archive           let folders be downloaded as .zip or .tar (?download=zip)
      --no-readme         do not show a folder's README.md below its listing
      --spa [FILE]        answer page paths that name nothing with FILE (default: index.html)
      --ext EXT           serve about.EXT for /about when /about names nothing (repeatable)
      --no-404-page       answer 404s with the plain page, not the site's 404.html
      --no-site-rules     ignore the site's _redirects and _headers (Cloudflare Pages rules)
      --mime .EXT=TYPE    send files ending .EXT as TYPE; =TYPE for unknown ones (repeatable)
      --auth USER:PASS    require this user and password (USER:sha256:HEX also; repeatable)
      --auth-file FILE    users from FILE: one USER:PASS or USER:sha256:HEX a line, # comments
      --tls               serve HTTPS with a self-signed certificate made for this run only
      --tls-cert FILE     serve HTTPS with this PEM certificate (chain); needs --tls-key
      --tls-key FILE      the PEM private key of --tls-cert
      --upload            let clients add files and folders (PUT, a form POST, WebDAV MKCOL)
      --delete            also let them replace, delete, move and copy (implies --upload)
      --public-read       with --auth: anyone reads, only users with a password write
      --max-upload-size SIZE
                          the largest file taken, e.g. 500M or 2G (default: 10G)
      --trust-uploads     serve uploaded HTML and SVG as they are, not sandboxed
  -h, --help              show this help and exit
  -V, --version           print the version and exit

--spa takes the next argument as its FILE unless that is a number (the port) or starts
with -; --spa=FILE is always a FILE. --tls makes a certificate, --tls-cert gives one: not both.
NO_COLOR=1 turns colours off, FORCE_COLOR=1 on.

Examples:
  simplehttp                                 serve . on port 8000 (or $PORT)
  simplehttp 8080 --bind 127.0.0.1 --open    this machine only, opened in the browser
  simplehttp --qr                            a QR code of the Network URL: scan it with a phone
  simplehttp 0 --directory ./public --quiet  a free port, no request log
  simplehttp --log-format combined 2>> access.log
  simplehttp --cors --cache max-age=60 --header 'X-Frame-Options: DENY'
  simplehttp --precompressed --gzip --dotfiles allow --follow-symlinks
  simplehttp --archive --no-readme           folders as zip downloads, READMEs not shown
  simplehttp --spa --directory dist          a single-page app: unknown pages get index.html
  simplehttp --watch --open                  edit, save, and see the page change at once
  simplehttp --spa=app.html --ext html --no-404-page
  simplehttp --no-site-rules                 serve _redirects and _headers as files, not as rules
  simplehttp --mime .log=text/plain --mime =text/plain  logs and unknown files shown as text
  simplehttp --auth ana:s3cret --tls         a password, over HTTPS with a fresh certificate
  simplehttp --auth-file users.txt --tls-cert cert.pem --tls-key key.pem
  simplehttp s3://my-site/public 8080        a bucket (AWS_ENDPOINT_URL for R2, MinIO, B2, moto)
  simplehttp s3://my-site --store-timeout 30 a slow store: wait up to 30 s a call, not 10
  simplehttp --upload --max-upload-size 2G   receive files: curl -T photo.jpg http://host:8000/
  simplehttp --delete --auth ana:s3cret --public-read --trust-uploads  anyone reads; ana writes
  simplehttp --help                          this text; simplehttp --version prints the version
`;
