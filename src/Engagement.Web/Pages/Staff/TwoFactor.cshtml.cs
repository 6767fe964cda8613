using Engagement.Core.Staff;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Engagement.Web.Pages.Staff;

/// <summary>The second sign-in step: the 6-digit code from the account's authenticator app.</summary>
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class TwoFactorModel(StaffUserStore users) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public FieldErrors Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync() =>
        await TwoFactor.PendingUserAsync(HttpContext) is null ? RedirectToPage("SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await TwoFactor.PendingUserAsync(HttpContext);
        if (user is null) return RedirectToPage("SignIn");
        if (Totp.Normalise(Code) is null)
        {
            Errors.Add("code", "Enter the 6-digit code from your authenticator app");
            return Page();
        }

        var (outcome, updated) = await users.VerifyTwoFactorAsync(user.Id, Code, DateTime.UtcNow, turningOn: false);
        if (outcome == TwoFactorOutcome.Success)
        {
            await TwoFactor.CompleteSignInAsync(HttpContext, updated!, "with two-factor");
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/staff");
        }
        await HttpContext.RecordSecurityEventAsync(outcome == TwoFactorOutcome.LockedOut ? SecurityEventKinds.LockedOut : SecurityEventKinds.TwoFactorFailed,
            user.Email, user.Id, outcome == TwoFactorOutcome.NotSetUp ? "two-factor secret cannot be read" : "two-factor code");
        Errors.Add("code", outcome switch
        {
            TwoFactorOutcome.LockedOut => "Your account is locked after too many wrong codes. Try again in 15 minutes, or ask an administrator",
            // Two-factor is on but the stored secret cannot be decrypted (its Data Protection key is gone): no code can
            // ever match, so say so rather than send the person round retyping codes. Only an administrator's reset
            // (engage users reset-two-factor) lets them set up their app again; the password alone never does.
            TwoFactorOutcome.NotSetUp => "We cannot check codes for your account just now. Ask an administrator to reset your two-factor sign-in",
            _ => "The code is not right. Enter the code your app shows now (check the time on your phone is set automatically)",
        });
        Code = null;
        return Page();
    }
}
