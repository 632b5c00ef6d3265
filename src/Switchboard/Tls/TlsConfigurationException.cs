namespace Switchboard.Tls;

/// <summary>A TLS context could not be built: the message names the file and OpenSSL's reason.</summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException(string message)
        : base(message)
    {
    }
}
