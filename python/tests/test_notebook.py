"""The example notebook runs top to bottom in a Jupyter kernel, as a user would run it."""

from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"


def test_the_quickstart_notebook_executes_and_shows_the_report():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    markdown = [
        out.data["text/markdown"] for out in outputs if "text/markdown" in out.get("data", {})
    ]
    assert any("C1 conservation: PROVED" in text for text in markdown)
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream")
    assert "C1 proved: True" in text
