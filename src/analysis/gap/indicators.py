"""The indicators the time distance is measured on: the chapter's ten, and every WDI series of the registry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from analysis.errors import InputError, available

LOG_LINEAR = "log-linear"
LINEAR = "linear"
INTERPOLATIONS = (LOG_LINEAR, LINEAR)


@dataclass(frozen=True)
class Indicator:
    """An indicator: ``scale * numerator / denominator`` from one source table."""

    id: str
    label: str
    short: str
    source: str  # "wdi" or "pwt"
    numerator: str
    denominator: str = ""
    scale: float = 1.0
    interpolation: str = LOG_LINEAR
    wdi_code: str = ""
    derivation: str = ""

    def values(self, table: pd.DataFrame) -> pd.DataFrame:
        """``iso3, year, value`` for every economy-year where the indicator can be computed."""
        value = table[self.numerator].astype(float) * self.scale
        if self.denominator:
            denominator = table[self.denominator].astype(float)
            value = value / denominator.where(denominator > 0)
        out = pd.DataFrame({"iso3": table["iso3"], "year": table["year"].astype(int), "value": value})
        return out.dropna(subset=["value"]).reset_index(drop=True)


# The chapter's indicators. A plain WDI series keeps its code as id; derived ones get a name.
CHAPTER_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "SL.GDP.PCAP.EM.KD",
        "GDP per person employed (constant 2021 PPP $)",
        "GDP per worker (WDI)",
        "wdi",
        "gdp_per_worker_ppp_2021usd",
        wdi_code="SL.GDP.PCAP.EM.KD",
        derivation="WDI series as published",
    ),
    Indicator(
        "pwt_gdp_per_worker",
        "GDP per person employed, PWT (2021 US$ at chained PPPs)",
        "GDP per worker (PWT)",
        "pwt",
        "rgdpo",
        "emp",
        derivation="PWT rgdpo / emp (output-side real GDP at chained PPPs per person engaged)",
    ),
    Indicator(
        "NY.GDP.PCAP.PP.KD",
        "GDP per capita, PPP (constant 2021 international $)",
        "GDP per capita (WDI)",
        "wdi",
        "gdp_per_capita_ppp_2021usd",
        wdi_code="NY.GDP.PCAP.PP.KD",
        derivation="WDI series as published",
    ),
    Indicator(
        "GB.XPD.RSDV.GD.ZS",
        "R&D expenditure (% of GDP)",
        "R&D % GDP",
        "wdi",
        "rd_expenditure_pct_gdp",
        interpolation=LINEAR,
        wdi_code="GB.XPD.RSDV.GD.ZS",
        derivation="WDI series as published",
    ),
    Indicator(
        "researchers_per_10k",
        "Researchers in R&D per 10,000 people",
        "Researchers per 10k",
        "wdi",
        "researchers_per_million",
        scale=0.01,
        wdi_code="SP.POP.SCIE.RD.P6",
        derivation="SP.POP.SCIE.RD.P6 / 100",
    ),
    Indicator(
        "articles_per_million",
        "Scientific and technical journal articles per million people",
        "Articles per million",
        "wdi",
        "journal_articles",
        "population",
        scale=1e6,
        wdi_code="IP.JRN.ARTC.SC",
        derivation="IP.JRN.ARTC.SC / SP.POP.TOTL × 10⁶",
    ),
    Indicator(
        "resident_patents_per_million",
        "Resident patent applications per million people",
        "Resident patents per million",
        "wdi",
        "patent_applications_residents",
        "population",
        scale=1e6,
        wdi_code="IP.PAT.RESD",
        derivation="IP.PAT.RESD / SP.POP.TOTL × 10⁶",
    ),
    Indicator(
        "TX.VAL.TECH.MF.ZS",
        "High-technology exports (% of manufactured exports)",
        "High-tech exports %",
        "wdi",
        "high_tech_exports_pct_manuf_exports",
        interpolation=LINEAR,
        wdi_code="TX.VAL.TECH.MF.ZS",
        derivation="WDI series as published",
    ),
    Indicator(
        "NV.MNF.TECH.ZS.UN",
        "Medium and high-tech manufacturing value added (% of manufacturing value added)",
        "Med./high-tech manuf. VA %",
        "wdi",
        "medium_high_tech_manuf_pct_manuf_va",
        interpolation=LINEAR,
        wdi_code="NV.MNF.TECH.ZS.UN",
        derivation="WDI series as published",
    ),
    Indicator(
        "ip_receipts_pct_gdp",
        "Intellectual-property receipts (% of GDP)",
        "IP receipts % GDP",
        "wdi",
        "ip_receipts_usd",
        "gdp_current_usd",
        scale=100.0,
        interpolation=LINEAR,
        wdi_code="BX.GSR.ROYL.CD",
        derivation="BX.GSR.ROYL.CD / NY.GDP.MKTP.CD × 100",
    ),
)


@cache
def _catalogue() -> dict[str, Indicator]:
    from analysis.data.registry import wdi_series

    catalogue = {i.id: i for i in CHAPTER_INDICATORS}
    for series in wdi_series():
        if series.code not in catalogue:
            catalogue[series.code] = Indicator(
                series.code,
                series.label,
                series.label,
                "wdi",
                series.column,
                interpolation=LINEAR if "%" in series.label else LOG_LINEAR,
                wdi_code=series.code,
                derivation="WDI series as published",
            )
    return catalogue


def indicator_catalogue() -> dict[str, Indicator]:
    """Every indicator the gap command accepts, by id.

    The chapter's indicators (:data:`CHAPTER_INDICATORS`), plus every other WDI series of
    the registry under its own code; a series whose label has "%" is a share (linear
    interpolation), any other is a level (log-linear).
    """
    return dict(_catalogue())


def get_indicator(key: str) -> Indicator:
    """An indicator by id or WDI code (case-insensitive)."""
    catalogue = indicator_catalogue()
    by_key = {k.casefold(): v for k, v in catalogue.items()}
    if key.strip().casefold() not in by_key:
        raise InputError(f"Unknown indicator {key!r}. Allowed (ids and WDI codes): {available(catalogue, limit=100)}.")
    return by_key[key.strip().casefold()]


def indicator_table(indicators: Iterable[Indicator] = CHAPTER_INDICATORS) -> pd.DataFrame:
    """The indicators as a table: id, label, source, WDI code, derivation, interpolation."""
    return pd.DataFrame(
        [
            {
                "id": i.id,
                "indicator": i.label,
                "source": i.source.upper(),
                "WDI code": i.wdi_code or "–",
                "derivation": i.derivation,
                "interpolation": i.interpolation,
            }
            for i in indicators
        ]
    )
