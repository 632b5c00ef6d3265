using System.Security.Cryptography.X509Certificates;

namespace Switchboard.Tls;

/// <summary>
/// Switchboard's CA bundle (<c>tls.ca</c>) as .NET's TLS stacks see it, for the links that are not OpenSSL's:
/// remoting between masters and the operations listener. A peer is trusted when its chain ends at a CA of
/// the bundle, never at the operating system's roots.
/// </summary>
public sealed class CaBundle
{
    private readonly X509Certificate2Collection _authorities = [];

    private CaBundle(string path) => _authorities.ImportFromPemFile(path);

    /// <exception cref="System.Security.Cryptography.CryptographicException">The file holds no PEM certificate.</exception>
    public static CaBundle Load(string path) => new(path);

    /// <summary>True when <paramref name="peer"/>'s chain ends at a CA of the bundle; otherwise why not.</summary>
    public bool Verifies(X509Certificate2 peer, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(peer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        // Revocation is checked on the agents' links (tls.crl); these peers are our own masters and operators.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(peer))
        {
            problem = null;
            return true;
        }

        problem = $"{peer.Subject}: its chain does not end at Switchboard's CA ({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))})";
        return false;
    }
}
