using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

internal sealed unsafe partial class TlsContext
{
    private const int TicketIvLength = 16; // AES-CBC; EVP_MAX_IV_LENGTH

    /// <summary>
    /// OpenSSL's ticket-key callback (<c>SSL_CTX_set_tlsext_ticket_key_cb</c>). Seals with Current; opens
    /// with whichever key's name matches and asks for a fresh ticket (2) when that key is not Current.
    /// An unknown name returns 0: a full handshake, not an error. Never lets an exception escape.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int OnTicketKey(IntPtr ssl, byte* keyName, byte* iv, IntPtr cipherContext, IntPtr hmacContext, int encrypt)
    {
        try
        {
            var keys = FromSsl(ssl)?.ticketKeys;
            if (keys is null)
            {
                return encrypt == 1 ? -1 : 0;
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
            return ReferenceEquals(match, keys.Current) ? 1 : 2;
        }
        catch (Exception)
        {
            // A ticket we cannot handle becomes a full handshake (decrypt) or no ticket (encrypt).
            return encrypt == 1 ? -1 : 0;
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
