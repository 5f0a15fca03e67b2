using System.Security.Cryptography;
using SbdServer.Crypto.Encryption;
using SbdServer.Crypto.Signing;
using SbdServer.Wire.Tlv;

namespace SbdServer.Cli;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and exit code 1.</summary>
internal static class CliAction
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is CliException or WireFormatException or SigningException
                                      or ConfigEncryptionException)
        {
            return Fail(e.Message);
        }
        catch (CryptographicException e)
        {
            return Fail("cryptographic operation failed: " + e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail("file access failed: " + e.GetType().Name);
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message);
        }
    }

    public static int Fail(string reason)
    {
        Console.Error.WriteLine("sbd: " + reason.ReplaceLineEndings(" "));
        return 1;
    }
}
