using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Bench.Handshake;

/// <summary>The baseline: a mutual-TLS SslStream client and server over an in-memory duplex stream.</summary>
internal sealed class SslStreamPair : IDisposable
{
    private readonly X509Certificate2 ca;
    private readonly X509Certificate2 clientCertificate;
    private readonly X509Certificate2 serverCertificate;
    private readonly SslStreamCertificateContext clientContext;
    private readonly SslStreamCertificateContext serverContext;
    private readonly SslProtocols protocol;
    private readonly string endpoint;

    public SslStreamPair(string caPath, (string Certificate, string Key) client, (string Certificate, string Key) server, SslProtocols protocol, string endpoint)
    {
        ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
        clientCertificate = X509Certificate2.CreateFromPemFile(client.Certificate, client.Key);
        serverCertificate = X509Certificate2.CreateFromPemFile(server.Certificate, server.Key);
        clientContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        serverContext = SslStreamCertificateContext.Create(serverCertificate, additionalCertificates: null, offline: true);
        this.protocol = protocol;
        this.endpoint = endpoint;
    }

    /// <summary>One full mutual handshake (resumption off on both sides), then close_notify from the client.</summary>
    public async Task RunAsync()
    {
        var (a, b) = MemoryDuplexStream.CreatePair();
        await using var client = new SslStream(a, leaveInnerStreamOpen: false);
        await using var server = new SslStream(b, leaveInnerStreamOpen: false);
        var clientOptions = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint,
            ClientCertificateContext = clientContext,
            EnabledSslProtocols = protocol,
            CertificateChainPolicy = Policy(),
            AllowTlsResume = false,
        };
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = serverContext,
            ClientCertificateRequired = true,
            EnabledSslProtocols = protocol,
            CertificateChainPolicy = Policy(),
            AllowTlsResume = false,
        };
        await Task.WhenAll(client.AuthenticateAsClientAsync(clientOptions), server.AuthenticateAsServerAsync(serverOptions));
        if (!client.IsMutuallyAuthenticated || !server.IsMutuallyAuthenticated)
        {
            throw new InvalidOperationException("SslStream pair did not authenticate mutually");
        }
        await client.ShutdownAsync();
    }

    public void Dispose()
    {
        ca.Dispose();
        clientCertificate.Dispose();
        serverCertificate.Dispose();
    }

    private X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(ca);
        return policy;
    }
}
