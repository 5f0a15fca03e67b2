using System.Net;
using Microsoft.Extensions.Options;

namespace SbdServer.PhoneServices;

/// <summary>Refuses a bad <c>PhoneServices</c> section at start, naming the key, instead of at the first phone.</summary>
internal sealed class PhoneServicesOptionsValidator : IValidateOptions<PhoneServicesOptions>
{
    public const int MaxDirectoryEntries = 10_000;
    public const int MaxNameLength = 64;
    public const int MaxTelephoneLength = 32;

    public ValidateOptionsResult Validate(string? name, PhoneServicesOptions options)
    {
        var errors = new List<string>();
        if (!IPAddress.TryParse(options.Address, out _))
        {
            errors.Add($"{PhoneServicesOptions.Section}:Address must be an IP address such as 0.0.0.0 or ::.");
        }

        if (options.Directory.Count > MaxDirectoryEntries)
        {
            errors.Add($"{PhoneServicesOptions.Section}:Directory has {options.Directory.Count} entries; at most {MaxDirectoryEntries}.");
        }

        for (var i = 0; i < options.Directory.Count && errors.Count < 20; i++)
        {
            var entry = options.Directory[i];
            var key = $"{PhoneServicesOptions.Section}:Directory:{i}";
            if (string.IsNullOrWhiteSpace(entry.FirstName) && string.IsNullOrWhiteSpace(entry.LastName))
            {
                errors.Add($"{key} needs a firstName or a lastName.");
            }

            CheckName(errors, $"{key}:FirstName", entry.FirstName);
            CheckName(errors, $"{key}:LastName", entry.LastName);
            if (entry.Telephone is not { Length: > 0 and <= MaxTelephoneLength } telephone
                || !telephone.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#'))
            {
                errors.Add($"{key}:Telephone must be 1-{MaxTelephoneLength} characters of 0-9, +, * and #.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckName(List<string> errors, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxNameLength)
        {
            errors.Add($"{key} is {value.Length} characters; at most {MaxNameLength}.");
        }

        // XML 1.0 cannot carry control characters at all, so they could never reach a phone.
        if (value.Any(char.IsControl) || value.Any(char.IsSurrogate) && !IsWellFormedUtf16(value))
        {
            errors.Add($"{key} contains control characters or a broken surrogate pair.");
        }
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
