namespace Switchboard.Testing.Pki;

/// <summary>
/// The directory layout written by <c>switchboard certs</c> (the CLI contract: architecture §12): <c>ca.crt</c>/<c>ca.key</c>,
/// <c>master.crt</c>/<c>master.key</c>, and <c>agents/agent-00000.crt</c>/<c>.key</c> and so on.
/// </summary>
public sealed record PkiLayout(string Directory)
{
    public const string MasterName = "master";

    public string CaCertificate => Path.Combine(Directory, "ca.crt");
    public string CaKey => Path.Combine(Directory, "ca.key");
    public string MasterCertificate => Path.Combine(Directory, "master.crt");
    public string MasterKey => Path.Combine(Directory, "master.key");
    public string AgentsDirectory => Path.Combine(Directory, "agents");

    public static string AgentName(int index) => $"agent-{index:D5}";

    /// <summary>The master's identity from this layout, as <c>switchboard.tls { ca, certificate, private-key }</c>.</summary>
    public Akka.Configuration.Config MasterTlsConfig() => Akka.Configuration.ConfigurationFactory.ParseString(
        $"switchboard.tls {{ ca = {Quote(CaCertificate)}, certificate = {Quote(MasterCertificate)}, private-key = {Quote(MasterKey)} }}");

    private static string Quote(string path) => System.Text.Json.JsonSerializer.Serialize(path);
    public string AgentCertificate(string name) => Path.Combine(AgentsDirectory, name + ".crt");
    public string AgentKey(string name) => Path.Combine(AgentsDirectory, name + ".key");

    /// <summary>Writes a CA, the master's certificate and <paramref name="agents"/> agent certificates.</summary>
    /// <param name="shareAgentKey">
    /// Every agent certificate over one key pair. A handshake costs the same whichever key signs it, so a
    /// benchmark fleet of thousands of RSA-4096 agents need not spend half an hour generating keys.
    /// </param>
    public static PkiLayout Generate(string directory, int agents, KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256, bool shareAgentKey = false)
    {
        var layout = new PkiLayout(directory);
        System.IO.Directory.CreateDirectory(layout.AgentsDirectory);
        using var ca = CertificateAuthority.Create("Switchboard CA", algorithm);
        ca.Root.WriteTo(layout.CaCertificate, layout.CaKey);
        ca.Issue(MasterName).WriteTo(layout.MasterCertificate, layout.MasterKey);
        // RSA key generation dominates for big fleets; spread it over the cores.
        using var shared = shareAgentKey ? CertificateAuthority.NewKey(algorithm) : null;
        Parallel.For(0, agents, i =>
        {
            var name = AgentName(i);
            ca.Issue(name, sharedKey: shared).WriteTo(layout.AgentCertificate(name), layout.AgentKey(name));
        });
        return layout;
    }
}
