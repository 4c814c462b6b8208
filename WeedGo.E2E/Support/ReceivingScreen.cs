using Microsoft.Playwright;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.E2E.Support;

/// <summary>/admin/inventory/receiving: upload an ASN → review the lines (received defaults to shipped) → confirm.</summary>
public sealed class ReceivingScreen(IPage page)
{
    public static readonly Guid QueenWest = DemoDataSeeder.IdFor("northern-lights-queen-west");

    public ILocator Review => page.GetByTestId("shipment-review");

    public ILocator Message => page.GetByTestId("receiving-message");

    public ILocator Error => page.GetByTestId("receiving-error");

    public ILocator Lines => page.GetByTestId("shipment-lines").Locator("tbody tr");

    public ILocator ConfirmButton => page.GetByTestId("shipment-confirm");

    /// <summary>The "Received" field of the nth line under review.</summary>
    public ILocator ReceivedInput(int index) => Lines.Nth(index).FieldInput("line-received");

    public async Task GotoAsync(Guid storeId)
    {
        await page.GotoAsync($"/admin/inventory/receiving?store={storeId}");
        await page.WaitForInteractiveAsync();
        await page.GetByTestId("shipments-table").WaitForAsync();
    }

    /// <summary>Uploads an ASN; wait for <see cref="Message"/> (imported) or <see cref="Error"/> after it.</summary>
    public Task UploadAsync(string fileName, byte[] content) =>
        page.UploadAsync("asn-upload", Forms.Csv(fileName, content));

    /// <summary>Confirms the shipment under review and waits for it to show as received.</summary>
    public async Task ConfirmAsync()
    {
        await ConfirmButton.ClickAsync();
        await Assertions.Expect(Message).ToContainTextAsync(" received: ");
    }

    /// <summary>Uploads an ASN and confirms it with every line received in full.</summary>
    public async Task ReceiveInFullAsync(Guid storeId, string fileName, byte[] content)
    {
        await GotoAsync(storeId);
        await UploadAsync(fileName, content);
        await Assertions.Expect(Message).ToContainTextAsync("imported");
        await ConfirmAsync();
    }
}
