/* Labelled quality corpus: generated at run time (seeded, deterministic).
 * Positives are provider-format tokens and credentials in many file types;
 * hard negatives are digests, ids, public material and placeholders.
 * Every file is scanned with the default rule set; recall per family must
 * be >= 97% and at most 1% of hard-negative files may be flagged. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "secretgate/secretgate.h"

#define PER_FAMILY 240
#define NEGATIVES  1200

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static const char AN[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char HEX[] = "0123456789abcdef";
static const char B64U[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char UPN[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char LOWN[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* Append n random characters of alphabet to s, with at least one digit,
 * one upper and one lower case letter when the alphabet has them. */
static void rand_append(char *s, const char *alpha, size_t n)
{
	size_t al = strlen(alpha), at = strlen(s);
	for (;;) {
		int up = 0, lo = 0, dg = 0;
		for (size_t i = 0; i < n; i++) {
			char c = alpha[rnd() % al];
			s[at + i] = c;
			up |= c >= 'A' && c <= 'Z';
			lo |= c >= 'a' && c <= 'z';
			dg |= c >= '0' && c <= '9';
		}
		s[at + n] = '\0';
		int need_mix = n >= 12 && (alpha == AN || alpha == B64U || alpha == B64);
		if (!need_mix || (up && lo && dg))
			return;
	}
}

static uint32_t crc32(const char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= (unsigned char)p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (uint32_t) - (int32_t)(c & 1));
	}
	return ~c;
}

/* prefix + 30 random base62 + 6 base62 CRC32 (GitHub and npm) */
static void crc_token(char *out, const char *prefix)
{
	strcpy(out, prefix);
	size_t at = strlen(out);
	rand_append(out, AN, 30);
	uint32_t v = crc32(out + at, 30);
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	for (int i = 5; i >= 0; i--) {
		out[at + 30 + i] = b62[v % 62];
		v /= 62;
	}
	out[at + 36] = '\0';
}

static void tok(char *out, const char *prefix, const char *alpha, size_t n)
{
	strcpy(out, prefix);
	rand_append(out, alpha, n);
}

/* ---- families and token makers -------------------------------------- */

enum {
	F_GITHUB,
	F_GITLAB,
	F_SLACK,
	F_STRIPE,
	F_CLOUD,
	F_AI,
	F_SAAS,
	F_KEYS,
	F_CONN,
	F_GENERIC,
	NFAM
};
static const char *const fam_name[NFAM] = {"github",     "gitlab",       "slack",
                                           "stripe",     "cloud",        "ai",
                                           "saas/infra", "private-keys", "connection-strings",
                                           "generic"};

/* Writes a secret and a variable name suited to it. */
static void make_secret(int fam, char *sec, const char **var)
{
	char a[512] = "";
	switch (fam) {
	case F_GITHUB: {
		static const char *const p[] = {"gh"
		                                "p_",
		                                "gh"
		                                "o_",
		                                "gh"
		                                "u_",
		                                "gh"
		                                "s_",
		                                "gh"
		                                "r_"};
		if (rnd() % 6 == 0)
			tok(sec,
			    "github"
			    "_pat_",
			    AN, 22),
			        strcat(sec, "_"), rand_append(sec, AN, 59);
		else
			crc_token(sec, p[rnd() % 5]);
		*var = "github_token";
		break;
	}
	case F_GITLAB: {
		static const char *const p[] = {"gl"
		                                "pat-",
		                                "gl"
		                                "dt-",
		                                "gl"
		                                "rt-",
		                                "gl"
		                                "ft-",
		                                "gl"
		                                "soat-"};
		tok(sec, p[rnd() % 5], B64U, 20);
		*var = "gitlab_token";
		break;
	}
	case F_SLACK:
		switch (rnd() % 3) {
		case 0:
			tok(sec,
			    "xo"
			    "xb-",
			    "0123456789", 12),
			        strcat(sec, "-"), rand_append(sec, "0123456789", 13),
			        strcat(sec, "-"), rand_append(sec, AN, 24);
			break;
		case 1:
			tok(sec,
			    "xo"
			    "xp-",
			    "0123456789", 12),
			        strcat(sec, "-"), rand_append(sec, "0123456789", 12),
			        strcat(sec, "-"), rand_append(sec, "0123456789", 12),
			        strcat(sec, "-"), rand_append(sec, HEX, 32);
			break;
		default:
			strcpy(sec, "https://hooks."
			            "slack.com/services/T");
			rand_append(sec, UPN, 10), strcat(sec, "/B"), rand_append(sec, UPN, 10);
			strcat(sec, "/"), rand_append(sec, AN, 24);
		}
		*var = "slack_token";
		break;
	case F_STRIPE:
		tok(sec,
		    rnd() % 2 ? "sk"
		                "_live_"
		              : "rk"
		                "_live_",
		    AN, 24 + rnd() % 76);
		*var = "stripe_key";
		break;
	case F_CLOUD:
		switch (rnd() % 5) {
		case 0:
			tok(sec,
			    "AK"
			    "IA",
			    B32, 16);
			*var = "aws_access_key_id";
			break;
		case 1:
			tok(sec,
			    "AI"
			    "za",
			    B64U, 35);
			*var = "google_api_key";
			break;
		case 2:
			tok(sec,
			    "do"
			    "p_v1_",
			    HEX, 64);
			*var = "do_token";
			break;
		case 3:
			tok(sec,
			    "GOC"
			    "SPX-",
			    B64U, 28);
			*var = "client_secret";
			break;
		default:
			tok(a, "", AN, 3), strcat(a, "8Q~"), rand_append(a, B64U, 34);
			strcpy(sec, a);
			*var = "azure_client_secret";
		}
		break;
	case F_AI:
		switch (rnd() % 5) {
		case 0:
			tok(sec,
			    "sk-"
			    "proj-",
			    B64U, 74),
			        strcat(sec, "T3Blbk"
			                    "FJ"),
			        rand_append(sec, B64U, 74);
			break;
		case 1:
			tok(sec,
			    "sk-"
			    "ant-api03-",
			    B64U, 93),
			        strcat(sec, "AA");
			break;
		case 2:
			tok(sec,
			    "h"
			    "f_",
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 34);
			break;
		case 3:
			tok(sec,
			    "gs"
			    "k_",
			    AN, 52);
			break;
		default:
			tok(sec,
			    "sk-"
			    "or-v1-",
			    HEX, 64);
		}
		*var = "llm_api_key";
		break;
	case F_SAAS:
		switch (rnd() % 8) {
		case 0:
			tok(sec,
			    "np"
			    "m_",
			    AN, 0),
			        crc_token(sec, "np"
			                       "m_");
			break;
		case 1:
			tok(sec,
			    "SG"
			    ".",
			    B64U, 22),
			        strcat(sec, "."), rand_append(sec, B64U, 43);
			break;
		case 2:
			tok(sec,
			    "da"
			    "pi",
			    HEX, 32);
			break;
		case 3:
			tok(sec,
			    "hv"
			    "s.CAESI",
			    B64U, 91);
			break;
		case 4:
			tok(sec,
			    "NR"
			    "AK-",
			    UPN, 27);
			break;
		case 5:
			tok(sec,
			    "lin"
			    "_api_",
			    AN, 40);
			break;
		case 6:
			tok(sec,
			    "dckr"
			    "_pat_",
			    B64U, 27);
			break;
		default:
			tok(sec,
			    "PM"
			    "AK-",
			    HEX, 24),
			        strcat(sec, "-"), rand_append(sec, HEX, 34);
		}
		*var = "service_token";
		break;
	case F_CONN: {
		static const char *const s[] = {"postgres", "mysql", "mongodb+srv", "redis",
		                                "amqps"};
		sprintf(sec, "%s://svc_%u:", s[rnd() % 5], rnd() % 1000);
		rand_append(sec, AN, 18);
		strcat(sec, "@db-");
		rand_append(sec, LOWN, 6);
		strcat(sec, ".prod.internal:5432/app");
		*var = "database_url";
		break;
	}
	case F_GENERIC: {
		static const char *const v[] = {"db_password", "client_secret", "api_key",
		                                "auth_token",  "smtp_password", "secret_key"};
		tok(sec, "", AN, 16 + rnd() % 24);
		if (rnd() % 3 == 0)
			strcat(sec, rnd() % 2 ? "!" : "#");
		*var = v[rnd() % 6];
		break;
	}
	}
}

static void b64_lines(char *out, const char *first, size_t n, const char *nl)
{
	char body[4096];
	strcpy(body, first);
	rand_append(body, B64, n - strlen(first));
	for (size_t i = 0; i < n; i += 64) {
		strncat(out, body + i, 64);
		strcat(out, nl);
	}
}

static void make_key(char *out)
{
	static const char *const labels[] = {"RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY",
	                                     "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"};
	const char *l = labels[rnd() % 5];
	int json = rnd() % 4 == 0;
	const char *nl = json ? "\\n" : "\n";
	if (json)
		strcpy(out, "{\"type\": \"service_account\", \"private_key\": \"");
	else
		out[0] = '\0';
	sprintf(out + strlen(out), "-----BEGIN %s-----%s", l, nl);
	b64_lines(out, "MII", 900 + rnd() % 700, nl);
	sprintf(out + strlen(out), "-----END %s-----%s", l, nl);
	if (json)
		strcat(out, "\", \"client_email\": \"ci@p.iam.gserviceaccount.com\"}\n");
}

/* Wrap a secret into one of many file syntaxes. */
static void render(char *out, size_t cap, int style, const char *var, const char *sec)
{
	char up[64], camel[64];
	size_t i, j = 0;
	for (i = 0; var[i] && i < 63; i++)
		up[i] = (char)(var[i] >= 'a' && var[i] <= 'z' ? var[i] - 32 : var[i]);
	up[i] = '\0';
	for (i = 0; var[i] && j < 63; i++) {
		if (var[i] == '_' && var[i + 1]) {
			i++;
			camel[j++] = (char)(var[i] >= 'a' && var[i] <= 'z' ? var[i] - 32 : var[i]);
		} else
			camel[j++] = var[i];
	}
	camel[j] = '\0';
	switch (style % 16) {
	case 0: /* python */
		snprintf(out, cap, "import os\n\n%s = \"%s\"\nclient = Client(%s)\n", up, sec, up);
		break;
	case 1: /* javascript */
		snprintf(out, cap, "const config = {\n  %s: '%s',\n  region: 'eu-west-1',\n};\n",
		         camel, sec);
		break;
	case 2: /* typescript */
		snprintf(out, cap, "export const %s: string = \"%s\";\n", camel, sec);
		break;
	case 3: /* go */
		snprintf(out, cap, "package main\n\nfunc main() {\n\t%s := \"%s\"\n\t_ = %s\n}\n",
		         camel, sec, camel);
		break;
	case 4: /* java */
		snprintf(out, cap,
		         "public class Cfg {\n    private static final String %s = \"%s\";\n}\n",
		         up, sec);
		break;
	case 5: /* yaml */
		snprintf(out, cap, "service:\n  name: billing\n  %s: %s\n  replicas: 3\n", var,
		         sec);
		break;
	case 6: /* json */
		snprintf(out, cap, "{\n  \"name\": \"billing\",\n  \"%s\": \"%s\"\n}\n", var, sec);
		break;
	case 7: /* xml */
		snprintf(out, cap,
		         "<configuration>\n  <appSettings>\n    <add key=\"%s\" value=\"%s\" />\n  "
		         "</appSettings>\n</configuration>\n",
		         camel, sec);
		break;
	case 8: /* .env */
		snprintf(out, cap, "NODE_ENV=production\n%s=%s\nPORT=8080\n", up, sec);
		break;
	case 9: /* ini / toml */
		snprintf(out, cap, "[default]\nregion = \"eu-west-1\"\n%s = \"%s\"\n", var, sec);
		break;
	case 10: /* shell */
		snprintf(out, cap, "#!/bin/sh\nset -e\nexport %s='%s'\n./deploy.sh\n", up, sec);
		break;
	case 11: /* Dockerfile */
		snprintf(out, cap, "FROM alpine:3.19\nENV %s=%s\nRUN ./build.sh\n", up, sec);
		break;
	case 12: /* terraform */
		snprintf(out, cap, "provider \"acme\" {\n  %s = \"%s\"\n}\n", var, sec);
		break;
	case 13: /* markdown */
		snprintf(out, cap, "# Setup\n\nSet the key:\n\n```\n%s=%s\n```\n", up, sec);
		break;
	case 14: /* log */
		snprintf(out, cap,
		         "2024-05-01T10:00:00Z INFO starting worker\n2024-05-01T10:00:01Z DEBUG "
		         "config %s=%s loaded\n",
		         var, sec);
		break;
	default: /* minified js */
		snprintf(out, cap,
		         "!function(e){var t={};e.exports={%s:\"%s\",timeout:3e4}}(module);", camel,
		         sec);
	}
}

/* ---- hard negatives --------------------------------------------------- */

static void make_negative(char *out, size_t cap, int k)
{
	char a[256] = "", b[256] = "";
	switch (k % 30) {
	case 0:
		tok(a, "", HEX, 40);
		snprintf(out, cap, "commit %s\nAuthor: Dev <dev@acme.io>\n\n    fix build\n", a);
		break;
	case 1:
		tok(a, "", HEX, 64);
		snprintf(out, cap, "FROM node:20@sha256:%s\nRUN npm ci\n", a);
		break;
	case 2:
		tok(a, "", B64, 86);
		snprintf(
		        out, cap,
		        "\"node_modules/js-tokens\": {\n  \"version\": \"4.0.0\",\n  \"resolved\": "
		        "\"https://registry.npmjs.org/js-tokens/-/js-tokens-4.0.0.tgz\",\n  "
		        "\"integrity\": \"sha512-%s==\"\n}\n",
		        a);
		break;
	case 3:
		tok(a, "", B64, 43);
		snprintf(out, cap, "github.com/stretchr/testify v1.9.0 h1:%s=\n", a);
		break;
	case 4:
		tok(a, "", HEX, 8), tok(b, "", HEX, 12);
		snprintf(out, cap, "{\"id\": \"%s-1a2b-4c3d-8e9f-%s\", \"name\": \"order\"}\n", a,
		         b);
		break;
	case 5:
		tok(a, "", B64, 200);
		snprintf(out, cap, "<img src=\"data:image/png;base64,iVBORw0KGgo%s\" />\n", a);
		break;
	case 6:
		strcpy(out, "-----BEGIN PUBLIC KEY-----\n");
		b64_lines(out, "MIIBIjAN", 392, "\n");
		strcat(out, "-----END PUBLIC KEY-----\n");
		break;
	case 7:
		strcpy(out, "-----BEGIN CERTIFICATE-----\n");
		b64_lines(out, "MIIDdzCC", 1100, "\n");
		strcat(out, "-----END CERTIFICATE-----\n");
		break;
	case 8:
		tok(a, "", B64, 68);
		snprintf(out, cap, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s dev@laptop\n", a);
		break;
	case 9:
		tok(a,
		    "pk"
		    "_live_",
		    AN, 99);
		snprintf(out, cap, "const stripe = Stripe('%s');\n", a);
		break;
	case 10:
		tok(a,
		    "pk"
		    ".eyJ1Ijoi",
		    B64U, 60),
		        strcat(a, "."), rand_append(a, B64U, 22);
		snprintf(out, cap, "mapboxgl.accessToken = '%s';\n", a);
		break;
	case 11:
		snprintf(out, cap,
		         "{\n  \"login.password\": \"Password\",\n  \"login.password_hint\": \"At "
		         "least 12 characters\",\n  \"token_expired\": \"Your session "
		         "expired\"\n}\n");
		break;
	case 12:
		snprintf(out, cap,
		         ".btn-primary { color: #1a73e8; background: #ffffff; border-color: "
		         "#0b57d0cc; }\n");
		break;
	case 13: {
		static const char *const ph[] = {
		        "password = \"changeme\"",
		        "API_KEY=your_api_key_here",
		        "password: <PASSWORD>",
		        "token = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
		        "DB_PASSWORD=${DB_PASSWORD}",
		        "password: \"{{ secrets.DB_PASSWORD }}\"",
		        "password = '%(password)s'",
		        "password = os.environ[\"DB_PASSWORD\"]",
		        "const token = process.env.API_TOKEN;",
		        "\"password\": null",
		        "password = None",
		        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
		        "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
		        "secret: ${{ secrets.CLIENT_SECRET }}",
		        "api_key: \"\"",
		        "password: \"********\"",
		};
		snprintf(out, cap, "# settings\n%s\n", ph[rnd() % 16]);
		break;
	}
	case 14:
		tok(a, "", HEX, 32);
		snprintf(out, cap, "etag: \"%s\"\nmd5sum %s  dist/app.tar.gz\n", a, a);
		break;
	case 15:
		tok(a, "", B64U, 22);
		snprintf(out, cap, "https://www.youtube.com/watch?v=%.11s&t=42s\n", a);
		break;
	case 16:
		snprintf(out, cap,
		         "def login(username: str, password: str = None) -> Token:\n    token = "
		         "auth.get_token(username, password)\n    return token\n");
		break;
	case 17:
		snprintf(out, cap,
		         "<input type=\"password\" name=\"password\" placeholder=\"Password\" "
		         "autocomplete=\"current-password\">\n");
		break;
	case 18:
		tok(a, "", HEX, 40);
		snprintf(out, cap, "  \"resolved\": \"git+https://github.com/acme/lib.git#%s\",\n",
		         a);
		break;
	case 19:
		snprintf(out, cap,
		         "password_min_length: 12\npassword_reset_url: "
		         "https://acme.io/reset\ntoken_ttl: 3600\nmax_tokens: 4096\n");
		break;
	case 20:
		tok(a, "", B64, 44);
		snprintf(out, cap, "integrity=\"sha384-%s\" crossorigin=\"anonymous\"\n", a);
		break;
	case 21:
		tok(a, "", B64U, 40);
		snprintf(out, cap, "assets/app-%.8s.js\nassets/vendor.%.20s.css\n", a, a + 8);
		break;
	case 22:
		snprintf(out, cap,
		         "client_secret = os.getenv(\"CLIENT_SECRET\")\napi_key = "
		         "settings.API_KEY\nsecret_name: my-app-secret\n");
		break;
	case 24: /* Python: keyword arguments, attribute references, string defaults */
		snprintf(out, cap,
		         "conn = self._Client(token.address, authkey=self._authkey)\n"
		         "def timeit(stmt=\"pass\", setup=\"pass\", timer=default_timer, "
		         "number=%u):\n"
		         "    self.add_password = self.passwd.add_password\n"
		         "__all__ = ['HTTPPasswordMgr', 'HTTPPasswordMgrWithDefaultRealm']\n"
		         "def add_password(self, realm, uri, user, passwd, "
		         "is_authenticated=False):\n",
		         rnd() % 100000);
		break;
	case 25: /* JavaScript and TypeScript: type names, re-exports, optional chaining */
		snprintf(out, cap,
		         "exports.AdminAPIKeys = AdminAPIKeys;\n"
		         "import { APIKeyCreateResponse, RSAPrivateKey } from \"./keys%u\";\n"
		         "request.withCredentials = !!config.withCredentials;\n"
		         "let password = options.credentials?.password;\n"
		         "const { username, password, hostname: proxyHostname } = url;\n"
		         "  password: URLPatternComponentResult;\n",
		         rnd() % 1000);
		break;
	case 26: /* C and C++: enumerators, tables of functions, macro arguments */
		snprintf(out, cap,
		         "_M_token = _S_token_subexpr_lookahead_begin;\n"
		         "    {\"spwd\", PyInit_spwd},\n"
		         "SKM_DEFINE_STACK_OF_INTERNAL(SRP_user_pwd, SRP_user_pwd, SRP_user_pwd)\n"
		         "/// command line flags (-pass-remarks, -pass-remarks-missed, "
		         "-pass-remarks-%u)\n",
		         rnd() % 100);
		break;
	case 27: /* Pascal: := assignments, pointer types, A/W aliases, constant arithmetic */
		snprintf(out, cap,
		         "FConn.Password:=APassword;\n"
		         "PPasswordRecord = ^TPasswordRecord;\n"
		         "TCredential = TCredentialW;\n"
		         "CURLOPT_PROXYPASSWORD:=CURLOPTTYPE_STRINGPOINT+%u,\n"
		         "  lpszPassword:PAnsiChar;\n",
		         100 + rnd() % 100);
		break;
	case 28: /* '_auth' and '_password' outside .npmrc files */
		snprintf(out, cap,
		         "proxy_auth = base64.b64encode(proxy_passwd.encode()).decode('ascii')\n"
		         "_auth = 'mysql_native_password'\n"
		         "self.key_password = key_password or self.default_%u\n",
		         rnd() % 100);
		break;
	case 29: /* documentation values: RFC 6749 example tokens, base64 of a phrase, passwd */
		snprintf(out, cap,
		         "{\"access_token\":\"%s\",\"token_type\":\"example\"}\n"
		         "  password: '%s',\n"
		         "root:*:0:0:root:/root:/bin/bash\n",
		         "2Yotn"
		         "FZFEjr1zCsicMWpAA",
		         "bm90IG15IHJlYWwg"
		         "cGFzc3dvcmQ=");
		break;
	default:
		tok(a, "", HEX, 64);
		snprintf(out, cap, "sha256:%s  release.tar.gz\n", a);
	}
}

/* ---- credential stores and weak passwords in configuration ------------ */

#define NSTORES 33

/* A password people use: a word and a few digits, or random and short. */
static void weak_password(char *out)
{
	static const char *const words[] = {"admin",   "hunter", "summer", "dragon",   "monkey",
	                                    "welcome", "master", "shadow", "sunshine", "qwerty"};
	if (rnd() % 3 == 0) {
		out[0] = '\0';
		rand_append(out, AN, 6 + rnd() % 6);
	} else
		snprintf(out, 64, "%s%u", words[rnd() % 10], rnd() % 1000);
}

/* Store type k: writes its path and its content, with the credential pw. */
static void make_store(int k, char *path, char *out, size_t cap, const char *pw)
{
	char b64[128] = "", hash[160] = "";
	switch (k % NSTORES) {
	case 0:
		strcpy(path, ".git-credentials");
		snprintf(out, cap, "https://deploy:%s@github.com\n", pw);
		break;
	case 1:
		strcpy(path, "home/.netrc");
		snprintf(out, cap, "machine ftp.acme.io login bob password %s\n", pw);
		break;
	case 2:
		strcpy(path, ".pgpass");
		snprintf(out, cap, "localhost:5432:app:root:%s\n", pw);
		break;
	case 3:
		strcpy(path, ".esmtprc");
		snprintf(out, cap,
		         "identity bob@acme.io\n  hostname = smtp.acme.io:587\n  "
		         "username = \"bob\"\n  password = \"%s\"\n",
		         pw);
		break;
	case 4:
	case 5:
	case 6:
	case 7:
	case 8: {
		static const char *const names[] = {"deployment-config.json", ".ftpconfig",
		                                    ".remote-sync.json", "sftp-config.json",
		                                    ".vscode/sftp.json"};
		strcpy(path, names[k % NSTORES - 4]);
		snprintf(out, cap,
		         "{\n  \"host\": \"ftp.acme.io\",\n  \"user\": \"deploy\",\n  "
		         "\"password\": \"%s\",\n  \"remotePath\": \"/var/www\"\n}\n",
		         pw);
		break;
	}
	case 9:
		strcpy(path, ".idea/WebServers.xml");
		snprintf(out, cap,
		         "<application><component name=\"WebServers\"><option name=\"servers\">\n"
		         "<webServer id=\"1\" name=\"prod\"><fileTransfer host=\"ftp.acme.io\" "
		         "port=\"21\" login=\"bob\" password=\"%s\" /></webServer>\n"
		         "</option></component></application>\n",
		         pw);
		break;
	case 10:
	case 11:
		tok(b64, "", B64, 16);
		strcpy(path, k % NSTORES == 10 ? "FileZilla/recentservers.xml"
		                               : "FileZilla/sitemanager.xml");
		snprintf(out, cap,
		         "<FileZilla3>\n<Servers>\n<Server>\n<Host>ftp.acme.io</Host>\n"
		         "<User>bob</User>\n<Pass encoding=\"base64\">%s==</Pass>\n</Server>\n"
		         "</Servers>\n</FileZilla3>\n",
		         b64);
		break;
	case 12:
		strcpy(path, ".dbeaver/data-sources.xml");
		snprintf(out, cap,
		         "<data-sources>\n<data-source id=\"mysql-1\" provider=\"mysql\">\n"
		         "<connection host=\"db.acme.io\" port=\"3306\" user=\"root\" "
		         "password=\"%s\"/>\n</data-source>\n</data-sources>\n",
		         pw);
		break;
	case 13:
		strcpy(path, ".3T/robomongo/1.4/robomongo.json");
		snprintf(out, cap,
		         "{\n \"connections\" : [ {\n  \"credentials\" : [ { \"databaseName\" : "
		         "\"admin\", \"userName\" : \"ops\", \"userPassword\" : \"%s\" } ]\n } "
		         "]\n}\n",
		         pw);
		break;
	case 14:
		strcpy(path, "config/mongoid.yml");
		snprintf(out, cap,
		         "production:\n  clients:\n    default:\n      uri: "
		         "mongodb://appuser:%s@db.acme.io:27017/app\n",
		         pw);
		break;
	case 15:
		strcpy(path, "server/GameUserSettings.ini");
		snprintf(out, cap, "[ServerSettings]\nServerPassword=\nServerAdminPassword=%s\n",
		         pw);
		break;
	case 16:
		strcpy(path, "ts3/murmur.ini");
		snprintf(out, cap, "port=64738\nserverpassword=%s\nusers=100\n", pw);
		break;
	case 17:
		strcpy(path, "forum/config.php");
		snprintf(out, cap,
		         "<?php\n$dbhost = 'localhost';\n$dbuser = 'forum';\n$dbpasswd = '%s';\n",
		         pw);
		break;
	case 18:
		tok(hash, "$2y$10$", B64, 53);
		for (char *c = hash + 7; *c; c++)
			if (*c == '+')
				*c = '.';
		strcpy(path, "backup/users.sql");
		snprintf(out, cap,
		         "INSERT INTO `users` (`id`, `email`, `password`) VALUES\n"
		         "(1,'admin@acme.io','%s');\n",
		         hash);
		break;
	case 19:
		tok(hash, "$6$", B64, 8);
		strcat(hash, "$");
		rand_append(hash, B64, 86);
		for (char *c = hash + 3; *c; c++)
			if (*c == '+')
				*c = '.';
		strcpy(path, "etc/shadow");
		snprintf(out, cap, "root:%s:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\n", hash);
		break;
	case 20:
		tok(b64, "MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcE", B64, 24);
		strcpy(path, "profile/logins.json");
		snprintf(out, cap,
		         "{\"nextId\":2,\"logins\":[{\"id\":1,\"hostname\":\"https://acme.io\","
		         "\"encryptedUsername\":\"MDoEEPgAAAAAAAAAAAAAAAAAAAEwFAYIKoZIhvcNAwcECA=="
		         "\","
		         "\"encryptedPassword\":\"%s\"}]}\n",
		         b64);
		break;
	case 21:
		strcpy(path, ".s3cfg");
		snprintf(out, cap, "[default]\nhost_base = s3.acme.io\nsecret_key = %s\n", pw);
		break;
	case 22:
		tok(b64, "", B64, 24);
		strcpy(path, ".dockercfg");
		snprintf(out, cap,
		         "{\"registry.acme.io\": {\"auth\": \"%s\", \"email\": \"x@acme.io\"}}\n",
		         b64);
		break;
	case 23:
		strcpy(path, ".pypirc");
		snprintf(out, cap,
		         "[distutils]\nindex-servers = acme\n[acme]\nrepository = "
		         "https://pypi.acme.io\nusername = ci\npassword = %s\n",
		         pw);
		break;
	case 24:
		tok(b64, "", B64, 20);
		strcpy(path, ".npmrc");
		snprintf(out, cap, "registry=https://npm.acme.io/\n_auth=%s\nalways-auth=true\n",
		         b64);
		break;
	case 25:
		tok(b64, "", B64, 27);
		strcpy(path, "public/.htpasswd");
		snprintf(out, cap, "admin:{SHA}%s=\n", b64);
		break;
	case 26:
		strcpy(path, ".kube/config");
		snprintf(out, cap,
		         "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    "
		         "username: admin\n    password: %s\n",
		         pw);
		break;
	case 27:
		strcpy(path, ".aws/credentials");
		snprintf(out, cap, "[default]\naws_session_token = %s\n", pw);
		break;
	case 28:
		strcpy(path, "infra/terraform.tfstate");
		snprintf(out, cap,
		         "{\n  \"resources\": [{\"instances\": [{\"attributes\": {\n"
		         "    \"username\": \"dbadmin\",\n    \"password\": \"%s\"\n  }}]}]\n}\n",
		         pw);
		break;
	case 29: /* Laravel .env: the weak DB_PASSWORD next to the APP_KEY */
		strcpy(path, ".env");
		snprintf(out, cap,
		         "APP_NAME=Shop\nAPP_ENV=production\nDB_HOST=127.0.0.1\nDB_PASSWORD=%s\n",
		         pw);
		break;
	case 30: /* weak passwords in configuration */
		strcpy(path, "config/database.yml");
		snprintf(out, cap,
		         "production:\n  adapter: mysql2\n  username: app\n  password: %s\n", pw);
		break;
	case 31:
		strcpy(path, "config/app.json");
		snprintf(out, cap,
		         "{\n  \"db\": {\n    \"user\": \"app\",\n    \"password\": \"%s\"\n  "
		         "}\n}\n",
		         pw);
		break;
	default:
		strcpy(path, "conf/application.properties");
		snprintf(out, cap,
		         "spring.datasource.url=jdbc:mysql://db/app\n"
		         "spring.datasource.password=%s\n",
		         pw);
	}
}

/* Real code that names credentials and is not one (the shapes of false
 * alarms seen in third-party code), and where it stands. */
static const char *const code_negatives[][2] = {
        {"src/api/pagination.js", "const page = { \"nextPageToken\": \"my_nextPageToken\" };\n"},
        {"clients/iam.d.ts", " *   \"PasswordLastUsed\": \"2016-09-08T21:47:36Z\",\n"},
        {"src/iam.js", "const user = { \"PasswordLastUsed\": \"2016-09-08T21:47:36Z\" };\n"},
        {"src/storage.js",
         "const cfg = { \"LocalConsolePassword\": \"PassWordMustBeAtLeast6Chars.\" };\n"},
        {"src/drafts.js", "fetch('/api/draft?secret=XXXXXXXXXXXX&slug=' + slug);\n"},
        {"src/secrets.js",
         "const id = "
         "\"arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3\";\n"},
        {"src/fetch.js",
         "credentials: withCredentials === void 0 ? 'same-origin' : withCredentials,\n"},
        {"src/cors.js", "const allowed = [\"Access-Control-Allow-Credentials\", "
                        "\"Access-Control-Allow-Headers\"];\n"},
        {"lib/vtls/mbedtls.c", "  const char *passwd = ssl_config->primary.key_passwd;\n"},
        {"lib/http.c", "  char *token = Curl_auth_token(data, conn->oauth_bearer);\n"},
        {"src/Auth.php", "        $password = $this->config->password;\n"},
        {"src/session.cpp", "  auto token = Session::instance()->authToken;\n"},
        {"src/login.ts", "let secret = opts?.clientSecret?.value ?? '';\n"},
        {"src/client.ts", "/**\n * @example client.login({ password: \"Xk29fjQ0zpLmW8\" })\n */\n"},
        {"src/types.ts", "export enum TokenKind { AccessToken = \"AccessTokenKindValue\" }\n"},
        {"src/jsx.js", "lastSignificantToken = \"?InterpolationInJSX\";\n"},
        {"package.json",
         "{\n  \"dependencies\": { \"pbkdf2-password\": \"1.2.1\", \"pgpass\": \"1.0.5\" }\n}\n"},
};

/* ---- the test ----------------------------------------------------------- */

static size_t scan(sg_scanner *sc, const char *text, const char *path)
{
	sg_findings f;
	sg_findings_init(&f, 0);
	sg_origin o = {0};
	o.path = path;
	assert_int_equal(sg_scanner_scan(sc, text, strlen(text), &o, NULL, &f), 0);
	size_t n = 0;
	for (size_t i = 0; i < f.count; i++)
		if (f.items[i].suppressed == SG_SUPPRESS_NONE)
			n++;
	sg_findings_free(&f);
	return n;
}

static void test_corpus(void **state)
{
	(void)state;
	static const char *const paths[16] = {
	        "app/settings.py", "src/config.js",  "src/config.ts",
	        "cmd/main.go",     "src/Cfg.java",   "deploy/values.yaml",
	        "config/app.json", "web.config",     ".env",
	        "config.toml",     "scripts/run.sh", "Dockerfile",
	        "infra/main.tf",   "README.md",      "logs/app.log",
	        "dist/app.min.js"};
	sg_ruleset *rs;
	sg_scanner *sc;
	assert_int_equal(sg_ruleset_new_default(&rs), 0);
	assert_int_equal(sg_ruleset_finalize(rs), 0);
	assert_int_equal(sg_scanner_new(&sc, rs, NULL), 0);
	char *sec = malloc(8192), *file = malloc(16384);
	int ok = 1;
	for (int fam = 0; fam < NFAM; fam++) {
		size_t found = 0;
		for (int i = 0; i < PER_FAMILY; i++) {
			const char *var = "key";
			int style = (int)(rnd() % 16);
			if (fam == F_KEYS) {
				make_key(sec);
				snprintf(file, 16384, "%s", sec);
				style = rnd() % 2 ? 5 : 13;
			} else {
				make_secret(fam, sec, &var);
				render(file, 16384, style, var, sec);
			}
			size_t n = scan(sc, file, fam == F_KEYS ? "keys/id_rsa" : paths[style]);
			if (n)
				found++;
			else if (getenv("SG_CORPUS_VERBOSE"))
				fprintf(stderr, "missed %s: %s\n", fam_name[fam], file);
		}
		double recall = 100.0 * (double)found / PER_FAMILY;
		printf("corpus: %-20s recall %6.2f%% (%zu/%d)\n", fam_name[fam], recall, found,
		       PER_FAMILY);
		if (recall < 97.0)
			ok = 0;
	}
	size_t flagged = 0;
	for (int i = 0; i < NEGATIVES; i++) {
		make_negative(file, 16384, i);
		if (scan(sc, file, paths[i % 16])) {
			flagged++;
			if (getenv("SG_CORPUS_VERBOSE"))
				fprintf(stderr, "flagged negative %d: %s\n", i % 30, file);
		}
	}
	double fp = 100.0 * (double)flagged / NEGATIVES;
	printf("corpus: hard negatives flagged %5.2f%% (%zu/%d)\n", fp, flagged, NEGATIVES);
	if (fp > 1.0)
		ok = 0;
	/* every credential-store type and weak passwords in configuration */
	size_t stores_found = 0, stores = 0;
	for (int k = 0; k < NSTORES * 8; k++) {
		char path[128], pw[64];
		weak_password(pw);
		make_store(k, path, file, 16384, pw);
		stores++;
		if (scan(sc, file, path))
			stores_found++;
		else {
			if (getenv("SG_CORPUS_VERBOSE"))
				fprintf(stderr, "missed store %s: %s\n", path, file);
			ok = 0; /* each one is a credential by the file's purpose */
		}
	}
	printf("corpus: %-20s recall %6.2f%% (%zu/%zu)\n", "stores+weak-config",
	       100.0 * (double)stores_found / (double)stores, stores_found, stores);
	size_t code_flagged = 0, ncode = sizeof(code_negatives) / sizeof(code_negatives[0]);
	for (size_t k = 0; k < ncode; k++)
		if (scan(sc, code_negatives[k][1], code_negatives[k][0])) {
			code_flagged++;
			fprintf(stderr, "flagged real code %s: %s", code_negatives[k][0],
			        code_negatives[k][1]);
			ok = 0;
		}
	printf("corpus: real-code negatives flagged %zu/%zu\n", code_flagged, ncode);
	free(sec);
	free(file);
	sg_scanner_free(sc);
	sg_ruleset_free(rs);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
