namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard &lt;command&gt; --help</c>: each command's options with their defaults, what it exits with,
/// and an example. Asked for help, a command does nothing else and exits 0.
/// </summary>
internal static class CommandHelp
{
    private const string ExitCodes = "exit codes: 0 ok, 2 usage or invalid configuration, 1 runtime failure";

    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["demo"] = """
            usage: switchboard demo [--agents N] [--keep DIR]
              connects an in-process fleet of agents on loopback, then restarts and makes the agents drop their
              links, and prints what each storm cost; needs no configuration.
              --agents N    agents in the fleet (default 2000, 1..60000)
              --keep DIR    keep the generated PKI and config in DIR (default: a temporary directory, removed)
            example: switchboard demo --agents 500
            """,
        ["connect"] = """
            usage: switchboard connect --config FILE [--status-file F] [--log-format text|json]
              runs the daemon: a status line and F (JSON) every second; SIGHUP reloads FILE (a broken file is
              refused, the running configuration stays); SIGTERM/SIGINT closes every link with close_notify.
              switchboard.metrics in FILE turns on /metrics, /status and /health over HTTP, and OTLP.
              --config FILE       HOCON; reference.conf supplies every default (required)
              --status-file F     where the status JSON is written every second (default: none)
              --log-format FORMAT text (default: status lines as they are, Akka's events with time and level)
                                  or json (every line one JSON object: timestamp, level, category, message)
            example: switchboard connect --config /etc/switchboard/switchboard.conf --status-file /run/switchboard/status.json
            """,
        ["check"] = """
            usage: switchboard check --config FILE
              validates FILE without connecting: every problem with its path, then when our certificate, the
              CAs and the CRL run out; exits 0 when valid, 2 otherwise.
              --config FILE    HOCON to validate (required)
            example: switchboard check --config switchboard.conf
            """,
        ["certs"] = """
            usage: switchboard certs --out DIR --agents N [--key ecdsa-p256|rsa-2048|rsa-4096]
                   switchboard certs revoke --certs DIR --name NAME
              writes a test PKI: DIR/ca.crt, ca.key, master.crt, master.key, agents/agent-00000.crt/.key, ...
              (keys 0600); revoke adds NAME (an agent, or master) to DIR/ca.crl, valid for 7 days.
              --out DIR        where to write (required)
              --agents N       agent certificates (required, 0..1000000)
              --key ALGORITHM  ecdsa-p256 (default), rsa-2048 or rsa-4096
            example: switchboard certs --out pki --agents 100 --key rsa-2048
            """,
        ["agents"] = """
            usage: switchboard agents --certs DIR --count N [--port P] [--fault MODE] [--fault-share S] [--flap-every SECONDS] [--shard K/M] [--ledger FILE]
              runs a fleet of echoing agents on loopback (agent i on 127.10.x.y) until SIGINT/SIGTERM; prints
              'ready N' once all listen. SIGUSR1 makes every agent drop its links; SIGUSR2 prints 'received N'.
              --certs DIR          a PKI from `switchboard certs` (required)
              --count N            agents (required, 1..1000000)
              --port P             the port every agent listens on (default 5665)
              --fault MODE         stall, stall-mid, garbage, reset, slow, wrong-identity, expired, untrusted, flap, silent
              --fault-share S      share of the agents that misbehave (default 1)
              --flap-every SECONDS how often flapping agents drop their links
              --shard K/M          run only slice K of M (fleets beyond one process's open-file limit)
              --ledger FILE        record each numbered message once, in FILE, before each 'received N'
            example: switchboard agents --certs pki --count 100 --fault stall --fault-share 0.1
            """,
        ["probe"] = """
            usage: switchboard probe --certs DIR --name NAME --host H --port P [--count K] [--tls 1.2|1.3] [--echo] [--session-file F]
              K sequential connections to one peer as the master, one JSON line each ("resumed" is OpenSSL's).
              --certs DIR         a PKI from `switchboard certs` (required)
              --name NAME         the peer's expected identity (required)
              --host H --port P   where it listens (required)
              --count K           connections (default 1)
              --tls 1.2|1.3       pin the version (default: negotiate)
              --echo              send a frame and wait for it back on each connection
              --session-file F    resume from and save to F (PEM, as openssl s_client -sess_in/-sess_out)
            example: switchboard probe --certs pki --name agent-00000 --host 127.10.0.0 --port 5665 --count 3
            """,
    };

    /// <summary>Whether <paramref name="rest"/> asks for help.</summary>
    public static bool Asked(string[] rest) => rest.Any(a => a is "--help" or "-h");

    /// <returns>0, having printed <paramref name="command"/>'s help; <see cref="CommandLine.Usage"/> for an unknown command.</returns>
    public static int Print(string command)
    {
        if (!Texts.TryGetValue(command, out var text))
        {
            return CommandLine.Fail($"unknown command '{command}'");
        }

        Console.Out.WriteLine(text);
        Console.Out.WriteLine(ExitCodes);
        return 0;
    }
}
