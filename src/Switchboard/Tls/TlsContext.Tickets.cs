using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

internal sealed unsafe partial class TlsContext
{
    private const int TicketIvLength = 16; // AES-CBC; EVP_MAX_IV_LENGTH

    /// <summary>
    /// OpenSSL's ticket-key callback (<c>SSL_CTX_set_tlsext_ticket_key_cb</c>). Seals with Current; opens
    /// with whichever key's name matches and asks for a fresh ticket (2) when that key is not Current, and
    /// always under TLS 1.3.
    /// An unknown name returns 0: a full handshake, not an error. Never lets an exception escape.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int OnTicketKey(IntPtr ssl, byte* keyName, byte* iv, IntPtr cipherContext, IntPtr hmacContext, int encrypt)
    {
        try
        {
            var keys = FromSsl(ssl)?._ticketKeys;
            if (keys is null)
            {
                return 0; // context torn down: no ticket issued, none opened; the handshake carries on
            }
            if (encrypt == 1)
            {
                var key = keys.Current;
                key.Name.CopyTo(new Span<byte>(keyName, TicketKey.NameLength));
                RandomNumberGenerator.Fill(new Span<byte>(iv, TicketIvLength));
                return Initialise(key, iv, cipherContext, hmacContext, encrypt: true) ? 1 : -1;
            }

            var name = new ReadOnlySpan<byte>(keyName, TicketKey.NameLength);
            var match = Named(keys.Current, name) ?? Named(keys.Previous, name) ?? Named(keys.Next, name);
            if (match is null)
            {
                return 0;
            }
            if (!Initialise(match, iv, cipherContext, hmacContext, encrypt: false))
            {
                return -1;
            }
            // TLS 1.3 tickets are single use, so a resumed client needs a fresh one. OpenSSL's built-in keys
            // always renew under TLS 1.3; with a callback it renews only when asked (2), so ask.
            var renew = !ReferenceEquals(match, keys.Current) || LibSsl.SSL_version(ssl) >= LibSsl.Tls13Version;
            return renew ? 2 : 1;
        }
        catch (Exception)
        {
            // A ticket we cannot handle becomes a full handshake (decrypt) or no ticket (encrypt).
            return 0;
        }
    }

    private static TicketKey? Named(TicketKey? key, ReadOnlySpan<byte> name) =>
        key is not null && name.SequenceEqual(key.Name) ? key : null;

    private static bool Initialise(TicketKey key, byte* iv, IntPtr cipherContext, IntPtr hmacContext, bool encrypt)
    {
        fixed (byte* hmacKey = key.HmacKey)
        fixed (byte* aesKey = key.AesKey)
        {
            if (LibCrypto.HMAC_Init_ex(hmacContext, hmacKey, key.HmacKey.Length, LibCrypto.EVP_sha256(), IntPtr.Zero) != 1)
            {
                return false;
            }
            return encrypt
                ? LibCrypto.EVP_EncryptInit_ex(cipherContext, LibCrypto.EVP_aes_256_cbc(), IntPtr.Zero, aesKey, iv) == 1
                : LibCrypto.EVP_DecryptInit_ex(cipherContext, LibCrypto.EVP_aes_256_cbc(), IntPtr.Zero, aesKey, iv) == 1;
        }
    }
}
