using Switchboard.Testing;
using Switchboard.Testing.Pki;

namespace Switchboard.Cli;

/// <summary><c>certs --out DIR --agents N [--key ecdsa-p256|rsa-2048|rsa-4096]</c>, and <c>certs revoke --certs DIR --name NAME</c>.</summary>
internal static class CertsCommand
{
    public static int Revoke(string certs, string name)
    {
        var layout = new PkiLayout(certs);
        var certificate = name == PkiLayout.MasterName ? layout.MasterCertificate : layout.AgentCertificate(name);
        if (!File.Exists(certificate))
        {
            throw new UsageException($"--name {name}: no certificate {certificate}");
        }

        var serial = Revocation.Revoke(layout, certificate);
        Console.Out.WriteLine($"revoked {name} (serial {serial}); wrote {layout.CrlPath()}, valid for {Revocation.Validity.TotalDays:F0} days");
        return 0;
    }

    public static int Run(string output, int agents, KeyAlgorithm algorithm)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var layout = PkiLayout.Generate(output, agents, algorithm);
        Console.Out.WriteLine($"wrote CA, master and {agents} agent certificates ({algorithm.Name()}) to {layout.Directory} in {started.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
