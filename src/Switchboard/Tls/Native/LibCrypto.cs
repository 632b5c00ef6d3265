using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>The libcrypto functions the engine needs: error queue, memory BIOs, X509 inspection, ticket crypto.</summary>
internal static unsafe partial class LibCrypto
{
    static LibCrypto() => NativeLibraries.Register();

    public const int BioCtrlPending = 10;
    public const int BioCtrlSetMemEofReturn = 130;
    public const int BioCtrlGetBufMemPtr = 115;
    public const int ExIndexSsl = 0;
    public const int ExIndexSslContext = 1;
    public const int NidCommonName = 13;
    public const int NidSubjectAltName = 85;
    public const int GeneralNameDns = 2;
    public const int LibSslErrors = 20;

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void ERR_clear_error();

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial nuint ERR_get_error();

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr ERR_reason_error_string(nuint error);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr BIO_s_mem();

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr BIO_new(IntPtr method);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int BIO_free(IntPtr bio);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int BIO_write(IntPtr bio, byte* data, int length);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int BIO_read(IntPtr bio, byte* data, int length);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial nint BIO_ctrl(IntPtr bio, int command, nint larg, IntPtr parg);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial nuint BIO_ctrl_pending(IntPtr bio);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void X509_free(IntPtr certificate);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int i2d_X509(IntPtr certificate, byte** output);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_get0_notAfter(IntPtr certificate);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_get0_serialNumber(IntPtr certificate);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr ASN1_INTEGER_to_BN(IntPtr integer, IntPtr reuse);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr BN_bn2hex(IntPtr number);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void BN_free(IntPtr number);

    /// <summary>What OPENSSL_free expands to.</summary>
    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void CRYPTO_free(IntPtr pointer, IntPtr file, int line);

    public const uint X509VFlagCrlCheck = 0x4;
    public const uint X509VFlagCrlCheckAll = 0x8;

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr d2i_X509_CRL(IntPtr reuse, byte** der, nint length);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void X509_CRL_free(IntPtr crl);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_CRL_get_REVOKED(IntPtr crl);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_REVOKED_get0_serialNumber(IntPtr revoked);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_CRL_get0_nextUpdate(IntPtr crl);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int X509_STORE_add_crl(IntPtr store, IntPtr crl);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int X509_STORE_set_flags(IntPtr store, nuint flags);

    /// <summary>Days and seconds from <paramref name="from"/> to <paramref name="to"/>; a null time means now.</summary>
    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int ASN1_TIME_diff(int* days, int* seconds, IntPtr from, IntPtr to);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int X509_check_host(IntPtr certificate, byte* name, nuint length, uint flags, IntPtr peerName);

    /// <summary>1 when an iPAddress SAN equals the address <paramref name="address"/> spells (v4 dotted or v6).</summary>
    [LibraryImport(NativeLibraries.Crypto, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int X509_check_ip_asc(IntPtr certificate, string address, uint flags);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_verify_cert_error_string(nint error);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_get_ext_d2i(IntPtr certificate, int nid, IntPtr critical, IntPtr index);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr X509_get_subject_name(IntPtr certificate);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int X509_NAME_get_text_by_NID(IntPtr name, int nid, byte* buffer, int length);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void GENERAL_NAMES_free(IntPtr names);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr ASN1_STRING_get0_data(IntPtr value);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int ASN1_STRING_length(IntPtr value);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int OPENSSL_sk_num(IntPtr stack);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr OPENSSL_sk_value(IntPtr stack, int index);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr EVP_sha256();

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial IntPtr EVP_aes_256_cbc();

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int EVP_EncryptInit_ex(IntPtr context, IntPtr cipher, IntPtr engine, byte* key, byte* iv);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int EVP_DecryptInit_ex(IntPtr context, IntPtr cipher, IntPtr engine, byte* key, byte* iv);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int HMAC_Init_ex(IntPtr context, byte* key, int length, IntPtr digest, IntPtr engine);

    [LibraryImport(NativeLibraries.Crypto)]
    public static partial int CRYPTO_get_ex_new_index(int classIndex, nint argl, IntPtr argp, IntPtr newFunc, IntPtr dupFunc, IntPtr freeFunc);
}
