namespace Switchboard.Tls;

/// <summary>
/// One session-ticket key: a 16-byte name that travels in the ticket, a 32-byte HMAC-SHA256 key and a
/// 32-byte AES-256 key (the 80 bytes of <c>SSL_CTX_set_tlsext_ticket_keys</c>).
/// </summary>
internal sealed record TicketKey(byte[] Name, byte[] HmacKey, byte[] AesKey, DateTime CreatedUtc)
{
    public const int NameLength = 16;
    public const int SecretLength = 32;
}
