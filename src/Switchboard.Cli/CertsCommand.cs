using Switchboard.Testing;
using Switchboard.Testing.Pki;

namespace Switchboard.Cli;

/// <summary><c>certs --out DIR --agents N [--key ecdsa-p256|rsa-2048|rsa-4096]</c>, and <c>certs revoke --certs DIR --name NAME</c>.</summary>
internal static class CertsCommand
{
    public static int Revoke(Arguments args)
    {
        var layout = new PkiLayout(args.Required("certs"));
        var name = args.Required("name");
        args.RejectUnknown();
        var certificate = name == PkiLayout.MasterName ? layout.MasterCertificate : layout.AgentCertificate(name);
        if (!File.Exists(certificate))
        {
            throw new UsageException($"--name {name}: no certificate {certificate}");
        }

        var serial = Revocation.Revoke(layout, certificate);
        Console.Out.WriteLine($"revoked {name} (serial {serial}); wrote {layout.CrlPath()}, valid for {Revocation.Validity.TotalDays:F0} days");
        return 0;
    }

    public static int Run(Arguments args)
    {
        var output = args.Required("out");
        var agents = args.Int("agents", fallback: -1, min: 0, max: 1_000_000);
        if (agents < 0)
        {
            throw new UsageException("missing --agents");
        }

        var keyText = args.Optional("key") ?? "ecdsa-p256";
        if (!KeyAlgorithmNames.TryParse(keyText, out var algorithm))
        {
            throw new UsageException($"--key must be ecdsa-p256, rsa-2048 or rsa-4096, not '{keyText}'");
        }

        args.RejectUnknown();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var layout = PkiLayout.Generate(output, agents, algorithm);
        Console.Out.WriteLine($"wrote CA, master and {agents} agent certificates ({algorithm.Name()}) to {layout.Directory} in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
