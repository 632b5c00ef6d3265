namespace Switchboard.Tls;

/// <summary>The protocol versions Switchboard speaks: TLS 1.2 as a floor, 1.3 preferred.</summary>
public enum TlsVersion
{
    Tls12,
    Tls13,
}
