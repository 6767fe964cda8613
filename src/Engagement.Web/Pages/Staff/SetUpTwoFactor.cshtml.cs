using System.Security.Claims;
using Engagement.Core.Staff;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Pages.Staff;

/// <summary>
/// Turning two-factor on: straight after the password when it is required, or any time from the staff pages when it
/// is optional. The secret is shown as text (and as an otpauth address) to type or paste into an authenticator app.
/// </summary>
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class SetUpTwoFactorModel(StaffUserStore users, IOptions<TwoFactorOptions> options) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public FieldErrors Errors { get; } = [];
    public StaffUser Account { get; private set; } = null!;
    public string Secret { get; private set; } = "";
    public string OtpAuthUri { get; private set; } = "";
    public bool SignedIn { get; private set; }
    public bool CanTurnOff => SignedIn && !options.Value.IsRequired;

    /// <summary>The secret in groups of four, easier to type.</summary>
    public string GroupedSecret => string.Join(' ', Secret.Chunk(4).Select(c => new string(c)));

    private async Task<StaffUser?> AccountAsync()
    {
        if (User.Identity?.IsAuthenticated == true && long.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            SignedIn = true;
            return await users.GetAsync(id);
        }
        return await TwoFactor.PendingUserAsync(HttpContext);
    }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await AccountAsync() is not { } account) return RedirectToPage("SignIn");
        await ShowAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await AccountAsync() is not { } account) return RedirectToPage("SignIn");
        if (account.TotpEnabled) return RedirectToPage();
        if (Totp.Normalise(Code) is null) Errors.Add("code", "Enter the 6-digit code your authenticator app shows");
        else
        {
            var (outcome, updated) = await users.VerifyTwoFactorAsync(account.Id, Code, DateTime.UtcNow, turningOn: true);
            if (outcome == TwoFactorOutcome.Success)
            {
                await HttpContext.RecordSecurityEventAsync(SecurityEventKinds.TwoFactorEnabled, updated!.Email, updated.Id);
                // The security stamp changed (other sessions end): this one carries on with a fresh cookie.
                if (SignedIn) await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.For(updated, DateTime.UtcNow));
                else await TwoFactor.CompleteSignInAsync(HttpContext, updated, "two-factor set up");
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/staff");
            }
            await HttpContext.RecordSecurityEventAsync(SecurityEventKinds.TwoFactorFailed, account.Email, account.Id, "setting up");
            Errors.Add("code", outcome == TwoFactorOutcome.LockedOut
                ? "Your account is locked after too many wrong codes. Try again in 15 minutes, or ask an administrator"
                : "The code is not right. Check you added the key exactly as shown, then enter the code your app shows now");
        }
        ViewData["HasErrors"] = true;
        Code = null;
        await ShowAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostTurnOffAsync()
    {
        if (await AccountAsync() is not { } account || !CanTurnOff) return Forbid();
        await users.DisableTwoFactorAsync(account.Id);
        await HttpContext.RecordSecurityEventAsync(SecurityEventKinds.TwoFactorDisabled, account.Email, account.Id);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffClaims.For((await users.GetAsync(account.Id))!, DateTime.UtcNow));
        return RedirectToPage();
    }

    private async Task ShowAsync(StaffUser account)
    {
        Account = account;
        if (account.TotpEnabled) return;
        Secret = await users.StartTwoFactorSetupAsync(account.Id);
        OtpAuthUri = Totp.OtpAuthUri(options.Value.Issuer, account.Email, Totp.Base32Decode(Secret));
    }
}
