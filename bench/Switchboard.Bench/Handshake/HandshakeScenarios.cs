using System.Security.Authentication;
using Switchboard.Testing.Pki;
using Switchboard.Tls;

namespace Switchboard.Bench.Handshake;

/// <summary>The measured scenarios and everything they keep alive across rounds (contexts, sessions).</summary>
internal sealed class HandshakeScenarios : IDisposable
{
    private const string Endpoint = "agent-00000";

    private readonly List<IDisposable> _resources = new();

    public HandshakeScenarios(PkiLayout layout)
    {
        foreach (var version in new[] { TlsVersion.Tls12, TlsVersion.Tls13 })
        {
            AddEngine(layout, version);
            AddSslStream(layout, version);
        }
    }

    /// <summary>Name and a batch runner (runs N handshakes).</summary>
    public List<(string Name, Func<int, Task> Batch)> All { get; } = new();

    public void Dispose()
    {
        foreach (var resource in _resources)
        {
            resource.Dispose();
        }
    }

    private static string Tag(TlsVersion version) => version == TlsVersion.Tls12 ? "tls1.2" : "tls1.3";

    private void AddEngine(PkiLayout layout, TlsVersion version)
    {
        var tag = Tag(version);
        var client = TlsContext.CreateClient(new TlsContextOptions(layout.CaCertificate, layout.MasterCertificate, layout.MasterKey, version, version));
        var keys = new TicketKeySet(null, new TicketKey(
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.NameLength),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketKey.SecretLength),
            DateTime.UtcNow), null);
        var server = TlsContext.CreateServer(
            new TlsContextOptions(layout.CaCertificate, layout.AgentCertificate(Endpoint), layout.AgentKey(Endpoint), version, version),
            ticketKeys: keys);
        _resources.Add(client);
        _resources.Add(server);

        var pair = new EnginePair(client, server, Endpoint);

        All.Add(($"engine {tag} full", Sync(() => pair.Run(null, expectResumed: false)?.Dispose())));

        // Like for like with the SslStream pair, which runs with resumption off: no ticket is issued.
        var plainServer = TlsContext.CreateServer(
            new TlsContextOptions(layout.CaCertificate, layout.AgentCertificate(Endpoint), layout.AgentKey(Endpoint), version, version, SessionTickets: false));
        _resources.Add(plainServer);
        var plainPair = new EnginePair(client, plainServer, Endpoint);
        All.Add(($"engine {tag} full, no tickets", Sync(() => plainPair.Run(null, expectResumed: false)?.Dispose())));

        // TLS 1.3 tickets are single use: each resumption spends the newest ticket and keeps the one it brings.
        var session = pair.Run(null, expectResumed: false) ?? throw new InvalidOperationException("no session from the full handshake");
        var der = session.Export();
        All.Add(($"engine {tag} resumed (native session)", Sync(() =>
        {
            var fresh = pair.Run(session, expectResumed: true);
            if (fresh is not null)
            {
                session.Dispose();
                session = fresh;
            }
        })));
        _resources.Add(new Releaser(() => session.Dispose()));

        // Restored after a restart: the bytes with the certificate, and the session file's bytes without it.
        foreach (var (label, bytes) in new[] { ("session from bytes", der), ("session from the file's bytes, no certificate", session.ExportWithoutPeer()) })
        {
            All.Add(($"engine {tag} resumed ({label})", Sync(() =>
            {
                using var imported = TlsSession.Import(bytes) ?? throw new InvalidOperationException("session bytes did not import");
                pair.Run(imported, expectResumed: true)?.Dispose();
            })));
        }
    }

    private void AddSslStream(PkiLayout layout, TlsVersion version)
    {
        var pair = new SslStreamPair(
            layout.CaCertificate,
            (layout.MasterCertificate, layout.MasterKey),
            (layout.AgentCertificate(Endpoint), layout.AgentKey(Endpoint)),
            version == TlsVersion.Tls12 ? SslProtocols.Tls12 : SslProtocols.Tls13,
            Endpoint);
        _resources.Add(pair);
        All.Add(($"sslstream {Tag(version)} full", async n =>
        {
            for (var i = 0; i < n; i++)
            {
                await pair.RunAsync();
            }
        }));
    }

    private static Func<int, Task> Sync(Action handshake) => n =>
    {
        for (var i = 0; i < n; i++)
        {
            handshake();
        }
        return Task.CompletedTask;
    };

    private sealed class Releaser(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
