using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using WeedGo.Core.Catalog;

namespace WeedGo.Web.Components.Admin.Catalogue;

public partial class CatalogueImportPage : IDisposable
{
    [Inject] private CatalogImportService Import { get; set; } = default!;

    private readonly List<BreadcrumbItem> _crumbs = [new("Catalogue", "/admin/catalogue"), new("Import", null, disabled: true)];
    private readonly CancellationTokenSource _cancel = new();
    private byte[]? _file;
    private string? _fileName;
    private long _fileSize;
    private CatalogImportPreview? _preview;
    private CatalogImportReport? _report;
    private string? _error;
    private string? _status;
    private double? _percent;
    private bool _busy;

    private async Task FileChosenAsync(IBrowserFile? file)
    {
        Reset();
        if (file is null)
        {
            return;
        }
        if (file.Size > CatalogImportService.MaxFileBytes)
        {
            _error = $"{file.Name} is {FormatSize(file.Size)}; the largest file accepted is {FormatSize(CatalogImportService.MaxFileBytes)}.";
            return;
        }
        _busy = true;
        _fileName = file.Name;
        _fileSize = file.Size;
        _status = "Uploading and checking the file…";
        StateHasChanged();
        try
        {
            // Read once into memory: the preview and the import both read it, and the browser stream is not seekable.
            using var buffer = new MemoryStream((int)file.Size);
            await using (var upload = file.OpenReadStream(CatalogImportService.MaxFileBytes, _cancel.Token))
            {
                await upload.CopyToAsync(buffer, _cancel.Token);
            }
            _file = buffer.ToArray();
            var preview = await Import.PreviewAsync(new MemoryStream(_file, writable: false), file.Name, _cancel.Token);
            if (preview.Succeeded)
            {
                _preview = preview.Value;
            }
            else
            {
                _error = preview.Error!.Message;
            }
        }
        catch (IOException e)
        {
            _error = $"The upload of {file.Name} did not finish: {e.Message}";
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ImportAsync()
    {
        if (_file is null || _fileName is null || _preview is null)
        {
            return;
        }
        _busy = true;
        _percent = 0;
        _status = "Importing…";
        var total = Math.Max(1, _preview.Rows);
        var progress = new Progress<CatalogImportProgress>(p =>
        {
            _percent = Math.Min(100, 100.0 * p.RowsRead / total);
            _status = $"Importing… {p.RowsRead:N0} of {total:N0} rows read, {p.RowsWritten:N0} saved in {p.BatchesCommitted} batches";
            _ = InvokeAsync(StateHasChanged);
        });
        try
        {
            // Off the circuit's synchronisation context, so progress can render while the batches run.
            var result = await Task.Run(() => Import.ImportAsync(new MemoryStream(_file, writable: false), _fileName, progress, _cancel.Token));
            if (result.Succeeded)
            {
                _report = result.Value;
            }
            else
            {
                _error = result.Error!.Message;
            }
        }
        finally
        {
            _busy = false;
            _percent = null;
        }
    }

    private void Reset()
    {
        _file = null;
        _fileName = null;
        _preview = null;
        _report = null;
        _error = null;
    }

    internal static string FormatSize(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / 1024d / 1024:0.#} MB" : bytes >= 1024 ? $"{bytes / 1024d:0} KB" : $"{bytes} bytes";

    public void Dispose()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }
}
