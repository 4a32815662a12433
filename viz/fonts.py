"""The one font every picture is drawn with where the machine's own fonts cannot be trusted:
Noto Sans SC (Simplified Chinese and Latin, SIL OFL 1.1), installed from PyPI with viz
(the package pylopdf-fonts-zh-cn ships it as a plain OTF file). resvg draws PNGs with it and
matplotlib the cost plots, so a machine with no fonts at all still shows every character."""

from pylopdf_fonts_zh_cn import sans_path

FAMILY = "Noto Sans SC"


def font_file():
    """The path of the bundled Noto Sans SC as a str."""
    return str(sans_path())
